import { afterEach, describe, expect, it, vi } from "vitest";

import { createGraphQLClient } from "@/graphql/client";
import {
  createCsrfFetch,
  CSRF_COOKIE_URL,
  CSRF_HEADER_NAME,
  ensureCsrfToken,
  readCookie,
  readCsrfToken,
} from "@/graphql/csrf";
import { PortalHomeDocument } from "@/gql/graphql";

import { clearCookie, createFakeGraphQLFetch, jsonResponse, setCookie } from "./helpers";

afterEach(() => {
  clearCookie("csrftoken");
  clearCookie("sessionid");
});

describe("readCookie", () => {
  it("finds a cookie among several", () => {
    expect(readCookie("csrftoken", "sessionid=abc; csrftoken=TOKEN123; theme=dark")).toBe("TOKEN123");
  });

  it("returns null when the cookie is missing", () => {
    expect(readCookie("csrftoken", "sessionid=abc; theme=dark")).toBeNull();
    expect(readCookie("csrftoken", "")).toBeNull();
  });

  it("does not match a name that only ends with the cookie name", () => {
    expect(readCookie("csrftoken", "xcsrftoken=wrong; csrftoken=right")).toBe("right");
    expect(readCookie("csrftoken", "my_csrftoken=wrong")).toBeNull();
  });

  it("decodes percent-encoded values", () => {
    expect(readCookie("name", "name=a%20b%3Dc")).toBe("a b=c");
  });

  it("keeps a value with a malformed escape as it is", () => {
    expect(readCookie("name", "name=bad%E0%A4%A")).toBe("bad%E0%A4%A");
  });

  it("keeps = signs inside the value", () => {
    expect(readCookie("name", "name=abc==")).toBe("abc==");
  });

  it("reads document.cookie by default", () => {
    setCookie("csrftoken", "FROM_DOCUMENT");
    expect(readCookie("csrftoken")).toBe("FROM_DOCUMENT");
    expect(readCsrfToken()).toBe("FROM_DOCUMENT");
  });

  it("treats an empty csrftoken cookie as missing", () => {
    setCookie("csrftoken", "");
    expect(readCsrfToken()).toBeNull();
  });
});

describe("createCsrfFetch", () => {
  it("adds the header from an existing cookie without a GET", async () => {
    setCookie("csrftoken", "EXISTING");
    const inner = vi.fn(async () => jsonResponse({ data: {} }));
    const csrfFetch = createCsrfFetch(inner);

    await csrfFetch("/graphql/", { method: "POST", body: "{}" });

    expect(inner).toHaveBeenCalledTimes(1);
    const [url, init] = inner.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/graphql/");
    expect(new Headers(init.headers).get(CSRF_HEADER_NAME)).toBe("EXISTING");
    expect(init.credentials).toBe("same-origin");
  });

  it("sends a GET for the cookie before the first POST", async () => {
    const calls: { url: string; method: string; token: string | null }[] = [];
    const inner = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      calls.push({ url: String(input), method, token: new Headers(init?.headers).get(CSRF_HEADER_NAME) });
      if (method === "GET") {
        // The server's response sets the cookie.
        setCookie("csrftoken", "FRESH");
      }
      return jsonResponse({ data: { __typename: "Query" } });
    });
    const csrfFetch = createCsrfFetch(inner as typeof fetch);

    await csrfFetch("/graphql/", { method: "POST", body: "{}" });

    expect(calls).toEqual([
      { url: CSRF_COOKIE_URL, method: "GET", token: null },
      { url: "/graphql/", method: "POST", token: "FRESH" },
    ]);
  });

  it("requests the cookie with a GET of {__typename}", () => {
    expect(decodeURIComponent(CSRF_COOKIE_URL)).toBe("/graphql/?query={__typename}");
  });

  it("shares one cookie GET between concurrent POSTs", async () => {
    const inner = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if ((init?.method ?? "GET") === "GET") {
        await new Promise((resolve) => setTimeout(resolve, 5));
        setCookie("csrftoken", "SHARED");
      }
      return jsonResponse({ data: {} });
    });
    const csrfFetch = createCsrfFetch(inner as typeof fetch);

    await Promise.all([
      csrfFetch("/graphql/", { method: "POST", body: "{}" }),
      csrfFetch("/graphql/", { method: "POST", body: "{}" }),
    ]);

    const methods = inner.mock.calls.map(([, init]) => init?.method ?? "GET");
    expect(methods.filter((method) => method === "GET")).toHaveLength(1);
    expect(methods.filter((method) => method === "POST")).toHaveLength(2);
    for (const [, init] of inner.mock.calls.filter(([, init]) => init?.method === "POST")) {
      expect(new Headers(init?.headers).get(CSRF_HEADER_NAME)).toBe("SHARED");
    }
  });

  it("still sends the POST when the cookie GET fails", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const inner = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if ((init?.method ?? "GET") === "GET") {
        throw new TypeError("Failed to fetch");
      }
      return jsonResponse({ data: {} }, 403);
    });
    const csrfFetch = createCsrfFetch(inner as typeof fetch);

    const response = await csrfFetch("/graphql/", { method: "POST", body: "{}" });

    expect(response.status).toBe(403);
    const post = inner.mock.calls[1] as unknown as [string, RequestInit];
    expect(new Headers(post[1].headers).has(CSRF_HEADER_NAME)).toBe(false);
    expect(consoleError).toHaveBeenCalledTimes(1);
    consoleError.mockRestore();
  });

  it("passes GET requests through unchanged", async () => {
    const inner = vi.fn(async () => jsonResponse({ data: {} }));
    const csrfFetch = createCsrfFetch(inner);
    const init: RequestInit = { method: "GET" };

    await csrfFetch("/graphql/?query=%7B__typename%7D", init);

    expect(inner).toHaveBeenCalledTimes(1);
    expect(inner).toHaveBeenCalledWith("/graphql/?query=%7B__typename%7D", init);
  });

  it("keeps a header the caller already set", async () => {
    setCookie("csrftoken", "COOKIE");
    const inner = vi.fn(async () => jsonResponse({ data: {} }));
    const csrfFetch = createCsrfFetch(inner);

    await csrfFetch("/graphql/", { method: "POST", headers: { "x-csrftoken": "EXPLICIT" } });

    const [, init] = inner.mock.calls[0] as unknown as [string, RequestInit];
    expect(new Headers(init.headers).get(CSRF_HEADER_NAME)).toBe("EXPLICIT");
  });
});

describe("ensureCsrfToken", () => {
  it("returns null when the server sets no cookie", async () => {
    const inner = vi.fn(async () => jsonResponse({ data: {} }));
    await expect(ensureCsrfToken(inner)).resolves.toBeNull();
    expect(inner).toHaveBeenCalledTimes(1);
  });
});

describe("createGraphQLClient", () => {
  it("sends queries as JSON POST with credentials and token", async () => {
    const server = createFakeGraphQLFetch((request) => {
      if (request.method === "GET") {
        setCookie("csrftoken", "CLIENT_TOKEN");
        return { data: { __typename: "Query" } };
      }
      return { data: { notices: [], workUpdates: [], laws: [] } };
    });
    const client = createGraphQLClient(server.fetch);

    const result = await client.query(PortalHomeDocument, {}).toPromise();

    expect(result.error).toBeUndefined();
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET ${CSRF_COOKIE_URL}`,
      "POST /graphql/",
    ]);
    const post = server.requests[1]!;
    expect(post.headers.get("content-type")).toBe("application/json");
    expect(post.headers.get(CSRF_HEADER_NAME)).toBe("CLIENT_TOKEN");
    expect(post.credentials).toBe("same-origin");
    expect(post.body?.operationName).toBe("PortalHome");
  });

  it("reuses the cookie for later requests", async () => {
    setCookie("csrftoken", "KNOWN");
    const server = createFakeGraphQLFetch(() => ({ data: { notices: [], workUpdates: [], laws: [] } }));
    const client = createGraphQLClient(server.fetch);

    await client.query(PortalHomeDocument, {}, { requestPolicy: "network-only" }).toPromise();
    await client.query(PortalHomeDocument, {}, { requestPolicy: "network-only" }).toPromise();

    expect(server.requests.map((request) => request.method)).toEqual(["POST", "POST"]);
    for (const request of server.requests) {
      expect(request.headers.get(CSRF_HEADER_NAME)).toBe("KNOWN");
    }
  });
});
