/** Checks of the registration form that need no server; the server checks everything again. */

// The API accepts request bodies up to 2.5 MB, and Base64 adds a third.
export const MAX_LICENCE_BYTES = Math.floor(1.8 * 1024 * 1024);

// 18 characters of the GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z.
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export const TEXT_FIELDS = [
  "enterpriseName",
  "creditCode",
  "address",
  "contactName",
  "contactPhone",
  "username",
  "password",
] as const;

export interface RegistrationForm {
  enterpriseName: string;
  creditCode: string;
  divisionCode: string;
  address: string;
  contactName: string;
  contactPhone: string;
  username: string;
  password: string;
  confirmPassword: string;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Returns a message per field that is missing or malformed, keyed by the server's field names. */
export function localProblems(values: RegistrationForm, file: File | null, translate: Translate): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of TEXT_FIELDS) {
    if (!values[field].trim()) {
      problems[field] = translate("registration.register.required", { label: translate(`registration.register.${field}`) });
    }
  }
  if (values.creditCode.trim() && !CREDIT_CODE.test(values.creditCode.trim().toUpperCase())) {
    problems.creditCode = translate("registration.register.creditCodeInvalid");
  }
  if (!values.divisionCode) {
    problems.divisionCode = translate("registration.register.divisionRequired");
  }
  if (values.password && values.password !== values.confirmPassword) {
    problems.confirmPassword = translate("registration.register.confirmMismatch");
  }
  if (!file) {
    problems.businessLicence = translate("registration.register.licenceRequired");
  } else if (file.size > MAX_LICENCE_BYTES) {
    problems.businessLicence = translate("registration.register.licenceTooLarge");
  }
  return problems;
}
