const STORAGE_KEY = "metrology.survey-browser-token";

/**
 * Returns this browser's random survey token, creating it on first use. The server
 * keeps only an HMAC of it, to accept one anonymous response per survey and browser.
 */
export function browserToken(storage: Storage = window.localStorage): string {
  const stored = storage.getItem(STORAGE_KEY);
  if (stored && stored.length >= 16) {
    return stored;
  }
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  const token = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  storage.setItem(STORAGE_KEY, token);
  return token;
}
