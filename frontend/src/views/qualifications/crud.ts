// Shared description of the institution's record screens (授权资质, 人员资格, 收费标准, 计量标准,
// 标准设备, 规程库, 证书模板): a query form, a paginated table and an edit dialog, all driven
// by the column and field lists below so each screen only states what differs.
import type { TypedDocumentNode } from "@urql/core";

export type Row = Record<string, unknown>;
export type FormValues = Record<string, unknown>;

export interface Option {
  value: string;
  label: string;
}

export interface Column {
  prop: string;
  /** Message key of the column header. */
  labelKey: string;
  width?: number;
  /** Text shown instead of the raw value. */
  format?: (row: Row) => string;
  /** Shown as a tag, e.g. 有效 / 已过期. */
  tag?: (row: Row) => { text: string; type: "success" | "warning" | "danger" | "info" };
}

export interface FilterField {
  prop: string;
  labelKey: string;
  /** "boolean" is a select with one "是" option, sent as true or left out. */
  kind: "text" | "select" | "boolean";
  options?: Option[];
}

export interface FormField {
  prop: string;
  labelKey: string;
  kind: "text" | "textarea" | "date" | "switch" | "select" | "multiselect" | "remote" | "remoteMulti";
  required?: boolean;
  options?: Option[];
  /** Options looked up as the user types (kind remote or remoteMulti). */
  search?: (keyword: string) => Promise<Option[]>;
  placeholderKey?: string;
}

export interface CrudScreen {
  testid: string;
  titleKey: string;
  /** Message key of a short explanation under the title. */
  introKey?: string;
  listDocument: TypedDocumentNode<any, any>;
  /** Field of the query's data that holds the page. */
  listField: string;
  columns: Column[];
  filters: FilterField[];
  /** Permission to add and edit; without it the screen is read-only. */
  managePermission?: string;
  formFields?: FormField[];
  saveDocument?: TypedDocumentNode<any, any>;
  saveField?: string;
  deleteDocument?: TypedDocumentNode<any, any>;
  deleteField?: string;
  /** Values of the dialog for a new row. */
  emptyForm?: () => FormValues;
  /** Values of the dialog for an existing row. */
  toForm?: (row: Row) => FormValues;
  /** Options of remote fields already chosen in an existing row, so their labels show. */
  knownOptions?: (row: Row) => Record<string, Option[]>;
  /** The mutation's input from the dialog's values. */
  toInput?: (form: FormValues) => Record<string, unknown>;
  /** Rows come from elsewhere and can only be edited (规程库). */
  editOnly?: boolean;
  /** Error fields starting with these (e.g. "items") are kept for the form-extra slot. */
  errorPrefixes?: string[];
  /** Label of a row in confirmations, e.g. its number. */
  rowLabel?: (row: Row) => string;
}

/** Text of a validity tag: valid, expiring within 90 days, expired, or revoked. */
export function validityTag(
  until: unknown,
  revoked: unknown,
  t: (key: string) => string,
): { text: string; type: "success" | "warning" | "danger" | "info" } {
  if (revoked) {
    return { text: t("qualifications.validity.revoked"), type: "info" };
  }
  const today = new Date().toISOString().slice(0, 10);
  const soon = new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10);
  const value = String(until ?? "");
  if (value < today) {
    return { text: t("qualifications.validity.expired"), type: "danger" };
  }
  if (value <= soon) {
    return { text: t("qualifications.validity.expiring"), type: "warning" };
  }
  return { text: t("qualifications.validity.valid"), type: "success" };
}

export function validityOptions(t: (key: string) => string): Option[] {
  return ["VALID", "EXPIRING", "EXPIRED", "REVOKED"].map((value) => ({
    value,
    label: t(`qualifications.validity.${value.toLowerCase()}`),
  }));
}

/** Empty strings become null so optional GraphQL arguments are left out. */
export function blankToNull(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === "" ? null : value]));
}
