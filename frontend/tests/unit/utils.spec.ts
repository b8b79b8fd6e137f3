import { CombinedError } from "@urql/core";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";

import { describeRequestError } from "@/graphql/errors";
import { asArticle } from "@/utils/article";
import {
  checkInputFromQuery,
  isCompleteCheckInput,
  normalizeCheckInput,
  sortFieldErrors,
} from "@/utils/certificate";
import { toNewsItems } from "@/utils/news";

describe("describeRequestError", () => {
  const fallback = "查询失败，请稍后重试";

  it("prefers the RATE_LIMITED message", () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError("服务器内部错误，请稍后重试。", { extensions: { code: "INTERNAL_ERROR" } }),
        new GraphQLError("查询过于频繁，请稍后再试。", { extensions: { code: "RATE_LIMITED" } }),
      ],
    });
    expect(describeRequestError(error, fallback)).toEqual({
      message: "查询过于频繁，请稍后再试。",
      code: "RATE_LIMITED",
    });
  });

  it("shows another coded message as sent", () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("服务器内部错误，请稍后重试。", { extensions: { code: "INTERNAL_ERROR" } })],
    });
    expect(describeRequestError(error, fallback)).toEqual({
      message: "服务器内部错误，请稍后重试。",
      code: "INTERNAL_ERROR",
    });
  });

  it("falls back for uncoded errors", () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("Cannot query field 'x' on type 'Query'.")],
    });
    expect(describeRequestError(error, fallback)).toEqual({ message: fallback, code: null });
  });

  it("falls back for network errors", () => {
    const error = new CombinedError({ networkError: new TypeError("Failed to fetch") });
    expect(describeRequestError(error, fallback)).toEqual({ message: fallback, code: null });
  });
});

describe("certificate input", () => {
  it("trims both values and uppercases the code", () => {
    expect(normalizeCheckInput({ number: "  HNJY001 ", checkCode: " ab23 " })).toEqual({
      number: "HNJY001",
      checkCode: "AB23",
    });
  });

  it("reads number and code from the query", () => {
    expect(checkInputFromQuery({ number: "HNJY001", code: "ab23cd45" })).toEqual({
      number: "HNJY001",
      checkCode: "AB23CD45",
    });
  });

  it("takes the first of repeated query values", () => {
    expect(checkInputFromQuery({ number: ["A1", "B2"], code: [null, "X"] })).toEqual({
      number: "A1",
      checkCode: "",
    });
  });

  it("reads missing query values as empty", () => {
    const input = checkInputFromQuery({});
    expect(input).toEqual({ number: "", checkCode: "" });
    expect(isCompleteCheckInput(input)).toBe(false);
  });

  it("needs both values to be complete", () => {
    expect(isCompleteCheckInput({ number: "A", checkCode: "" })).toBe(false);
    expect(isCompleteCheckInput({ number: "", checkCode: "B" })).toBe(false);
    expect(isCompleteCheckInput({ number: "A", checkCode: "B" })).toBe(true);
  });
});

describe("sortFieldErrors", () => {
  it("sorts messages by form field", () => {
    const sorted = sortFieldErrors([
      { field: "number", message: "请输入证书编号。", code: "required" },
      { field: "checkCode", message: "校验码有误。", code: "invalid" },
      { field: "checkCode", message: "校验码过长。", code: "too_long" },
      { field: "other", message: "其他错误。", code: "invalid" },
      { field: null, message: "请求有误。", code: "invalid" },
    ]);

    expect(sorted.byField).toEqual({
      number: "请输入证书编号。",
      checkCode: "校验码有误。 校验码过长。",
    });
    expect(sorted.general).toEqual(["其他错误。", "请求有误。"]);
  });
});

describe("toNewsItems", () => {
  it("keeps id, title and date", () => {
    expect(toNewsItems([{ id: "7", title: "标题", date: "2026-01-02" }])).toEqual([
      { id: "7", title: "标题", date: "2026-01-02" },
    ]);
  });

  it("skips pages without an id", () => {
    expect(toNewsItems([{ id: null, title: "无编号" }, { id: "8", title: "有编号" }])).toEqual([
      { id: "8", title: "有编号", date: null },
    ]);
  });

  it("returns no items for missing data", () => {
    expect(toNewsItems(undefined)).toEqual([]);
  });
});

describe("asArticle", () => {
  it("rejects a page without article fields", () => {
    expect(asArticle({ id: "1", title: "首页" })).toBeNull();
    expect(asArticle(null)).toBeNull();
    expect(asArticle(undefined)).toBeNull();
  });

  it("returns an article page", () => {
    const page = {
      id: "3",
      title: "通知",
      date: "2026-01-02",
      publisher: "省局",
      summary: "",
      body: "<p>正文</p>",
      sectionName: "通知公告",
    };
    expect(asArticle(page)).toBe(page);
  });
});
