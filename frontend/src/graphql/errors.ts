import type { CombinedError } from "@urql/core";

export const RATE_LIMITED = "RATE_LIMITED";

/** A failed request as the UI shows it. */
export interface RequestFailure {
  message: string;
  /** `extensions.code` of the server's error, or null for network and uncoded errors. */
  code: string | null;
}

function errorCode(extensions: Record<string, unknown> | undefined): string | null {
  const code = extensions?.code;
  return typeof code === "string" ? code : null;
}

/**
 * Describes a failed request for the UI.
 *
 * Only top-level errors that carry `extensions.code` are written for users (the server
 * replaces every other resolver message, and graphql-core's validation messages are
 * English), so their message is shown as sent, a RATE_LIMITED error first. Network
 * failures and uncoded errors get `fallbackMessage`.
 */
export function describeRequestError(error: CombinedError, fallbackMessage: string): RequestFailure {
  const coded = error.graphQLErrors.filter((graphQLError) => errorCode(graphQLError.extensions) !== null);
  const chosen =
    coded.find((graphQLError) => errorCode(graphQLError.extensions) === RATE_LIMITED) ?? coded[0];

  if (!chosen) {
    return { message: fallbackMessage, code: null };
  }
  return { message: chosen.message, code: errorCode(chosen.extensions) };
}
