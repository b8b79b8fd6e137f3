// Django enforces CSRF on every POST to /graphql/. Its CSRF middleware sets the
// `csrftoken` cookie on a GraphQL response, and the client echoes the cookie's value in
// the X-CSRFToken header. A visitor's first POST may come before any response has set
// the cookie, so the fetch wrapper below first sends a GET to receive it.

export const CSRF_COOKIE_NAME = "csrftoken";
export const CSRF_HEADER_NAME = "X-CSRFToken";

// `{__typename}`, the smallest query the server accepts, sent as GET so it needs no token.
export const CSRF_COOKIE_URL = "/graphql/?query=%7B__typename%7D";

/** Returns the decoded value of cookie `name`, or null when it is not set. */
export function readCookie(name: string, cookieHeader: string = document.cookie): string | null {
  for (const pair of cookieHeader.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) {
      continue;
    }
    if (pair.slice(0, separator).trim() !== name) {
      continue;
    }
    const rawValue = pair.slice(separator + 1).trim();
    try {
      return decodeURIComponent(rawValue);
    } catch {
      // A malformed escape sequence: Django's token alphabet needs no decoding anyway.
      return rawValue;
    }
  }
  return null;
}

/** Returns the CSRF token from the `csrftoken` cookie, or null when it is missing or empty. */
export function readCsrfToken(): string | null {
  return readCookie(CSRF_COOKIE_NAME) || null;
}

/** Returns the X-CSRFToken header for the current cookie, or no headers without a cookie. */
export function csrfHeaders(): Record<string, string> {
  const token = readCsrfToken();
  return token ? { [CSRF_HEADER_NAME]: token } : {};
}

let pendingCookieRequest: Promise<void> | null = null;

/**
 * Sends one GET to the GraphQL endpoint so that the server sets the CSRF cookie.
 * Concurrent callers share the same request. A failed request is not retried here: the
 * POST that follows goes out without a token and the server rejects it with 403.
 */
function requestCsrfCookie(fetchImpl: typeof fetch): Promise<void> {
  if (!pendingCookieRequest) {
    pendingCookieRequest = fetchImpl(CSRF_COOKIE_URL, {
      method: "GET",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(() => undefined)
      .catch((error: unknown) => {
        console.error("Failed to request the CSRF cookie from %s", CSRF_COOKIE_URL, error);
      })
      .finally(() => {
        pendingCookieRequest = null;
      });
  }
  return pendingCookieRequest;
}

/**
 * Returns the CSRF token, first sending a GET to receive the cookie when it is missing.
 * Returns null when the server did not set the cookie.
 */
export async function ensureCsrfToken(fetchImpl: typeof fetch = globalThis.fetch): Promise<string | null> {
  const existing = readCsrfToken();
  if (existing) {
    return existing;
  }
  await requestCsrfCookie(fetchImpl);
  return readCsrfToken();
}

function requestMethod(input: RequestInfo | URL, init?: RequestInit): string {
  if (init?.method) {
    return init.method.toUpperCase();
  }
  if (typeof Request !== "undefined" && input instanceof Request) {
    return input.method.toUpperCase();
  }
  return "GET";
}

/**
 * Wraps `fetch` so that every POST carries the X-CSRFToken header, fetching the cookie
 * first when the browser has none yet. GET requests pass through unchanged.
 */
export function createCsrfFetch(fetchImpl: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    if (requestMethod(input, init) !== "POST") {
      return fetchImpl(input, init);
    }

    const headers = new Headers(init?.headers);
    if (!headers.get(CSRF_HEADER_NAME)) {
      const token = await ensureCsrfToken(fetchImpl);
      if (token) {
        headers.set(CSRF_HEADER_NAME, token);
      }
    }
    return fetchImpl(input, { ...init, credentials: init?.credentials ?? "same-origin", headers });
  };
}
