import { describe, expect, it } from "vitest";

import { safeRedirectPath } from "@/session/redirect";

const ORIGIN = "https://metrology.example.gov.cn";

describe("safeRedirectPath", () => {
  it.each([
    ["/", "/"],
    ["/profile", "/profile"],
    ["/certificate-check?number=HNJY2026000123#result", "/certificate-check?number=HNJY2026000123#result"],
    ["/articles/12", "/articles/12"],
  ])("accepts the same-site path %s", (value, expected) => {
    expect(safeRedirectPath(value, ORIGIN)).toBe(expected);
  });

  it.each([
    ["a protocol-relative URL", "//evil.example"],
    ["a protocol-relative URL with a path", "//evil.example/login"],
    ["an absolute https URL", "https://evil.example/"],
    ["an absolute URL to this site", `${ORIGIN}/profile`],
    ["a backslash after the slash", "/\\evil.example"],
    ["a tab between the slashes", "/\t/evil.example"],
    ["a newline between the slashes", "/\n/evil.example"],
    ["a javascript URL", "javascript:alert(1)"],
    ["a relative path", "profile"],
    ["an empty string", ""],
    ["the sign-in page", "/login?redirect=/profile"],
  ])("rejects %s", (_case, value) => {
    expect(safeRedirectPath(value, ORIGIN)).toBeNull();
  });

  it("rejects values that are not strings", () => {
    expect(safeRedirectPath(undefined, ORIGIN)).toBeNull();
    expect(safeRedirectPath(null, ORIGIN)).toBeNull();
    expect(safeRedirectPath(42, ORIGIN)).toBeNull();
  });

  it("takes the first of repeated parameters", () => {
    expect(safeRedirectPath(["/profile", "//evil.example"], ORIGIN)).toBe("/profile");
    expect(safeRedirectPath(["//evil.example", "/profile"], ORIGIN)).toBeNull();
  });
});
