// The sign-in page returns the user to the page named in its `redirect` query
// parameter. Anyone can craft a link to /login, so only paths on this site are followed.
// Browsers treat "//host" and "/\host" as protocol-relative URLs to another host, and
// they drop tabs and newlines from URLs, which turns "/\t/host" into "//host".

export const LOGIN_PATH = "/login";

// Control characters (including tab and newline) and backslashes.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * Returns `value` as a same-site path to navigate to after sign-in, or null when it is
 * missing, not a path starting with a single "/", or points back to the sign-in page.
 * `origin` is the site's origin, used only to check that the path stays on it.
 */
export function safeRedirectPath(value: unknown, origin: string = window.location.origin): string | null {
  const candidate = Array.isArray(value) ? value[0] : value;
  if (typeof candidate !== "string") {
    return null;
  }
  if (!candidate.startsWith("/") || candidate.startsWith("//") || UNSAFE_CHARACTERS.test(candidate)) {
    return null;
  }

  let url: URL;
  try {
    url = new URL(candidate, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin || url.pathname === LOGIN_PATH) {
    return null;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}
