/** One entry of a mutation payload's `errors` list. */
export interface ServerFieldError {
  field: string | null;
  message: string;
}

export interface GroupedFieldErrors<Field extends string> {
  /** Messages for the form's own fields, shown under each field. */
  byField: Partial<Record<Field, string>>;
  /** Messages without a field, or for a field the form does not have. */
  general: string[];
}

export function emptyFieldErrors<Field extends string>(): GroupedFieldErrors<Field> {
  return { byField: {}, general: [] };
}

/** Sorts a payload's `errors` into messages under the form's `fields` and general messages. */
export function groupFieldErrors<Field extends string>(
  errors: readonly ServerFieldError[],
  fields: readonly Field[],
): GroupedFieldErrors<Field> {
  const grouped = emptyFieldErrors<Field>();
  for (const error of errors) {
    const field = fields.find((name) => name === error.field);
    if (field === undefined) {
      grouped.general.push(error.message);
      continue;
    }
    // A password may break several rules at once, so every message for a field is kept.
    const existing = grouped.byField[field];
    grouped.byField[field] = existing ? `${existing} ${error.message}` : error.message;
  }
  return grouped;
}
