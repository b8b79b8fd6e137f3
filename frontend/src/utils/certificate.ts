import type { CheckCertificateQuery } from "@/gql/graphql";

export type CheckResult = CheckCertificateQuery["certificateCheck"];
export type CheckStatus = CheckResult["status"];
export type PublicCertificate = NonNullable<CheckResult["certificate"]>;

/** The two values a visitor types into the certificate check form. */
export interface CheckInput {
  number: string;
  checkCode: string;
}

export type CheckField = keyof CheckInput;

// Input lengths the form allows. The server applies its own, stricter limits and
// reports a longer value as a field error.
export const NUMBER_MAX_LENGTH = 64;
export const CHECK_CODE_MAX_LENGTH = 16;

/** Trims both values and uppercases the check code, as the server does before checking. */
export function normalizeCheckInput(input: CheckInput): CheckInput {
  return {
    number: input.number.trim(),
    checkCode: input.checkCode.trim().toUpperCase(),
  };
}

/**
 * Reads the check input from the page's query string (`?number=...&code=...`, the
 * address the QR code on a certificate links to). A missing parameter reads as "".
 */
export function checkInputFromQuery(query: Record<string, unknown>): CheckInput {
  return normalizeCheckInput({
    number: firstString(query.number) ?? "",
    checkCode: firstString(query.code) ?? "",
  });
}

/** Returns whether both values are filled in, so the check can be sent. */
export function isCompleteCheckInput(input: CheckInput): boolean {
  return input.number !== "" && input.checkCode !== "";
}

function firstString(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : null;
}

export interface SortedFieldErrors {
  /** Messages for the form's own fields, shown next to each field. */
  byField: Partial<Record<CheckField, string>>;
  /** Messages without a field, or for a field the form does not have. */
  general: string[];
}

/** Sorts the server's `errors` into messages for form fields and general messages. */
export function sortFieldErrors(errors: CheckResult["errors"]): SortedFieldErrors {
  const sorted: SortedFieldErrors = { byField: {}, general: [] };
  for (const error of errors) {
    if (error.field === "number" || error.field === "checkCode") {
      // Several errors for one field are joined so that none is dropped.
      const existing = sorted.byField[error.field];
      sorted.byField[error.field] = existing ? `${existing} ${error.message}` : error.message;
    } else {
      sorted.general.push(error.message);
    }
  }
  return sorted;
}
