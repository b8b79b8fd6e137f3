// Dates from the API come in two forms: GraphQL `Date` values ("2025-03-01") and
// `DateTime` values in ISO 8601 with an offset ("2025-03-01T08:30:00+00:00").
// Date-times are shown in Beijing time (Asia/Shanghai), the platform's local time, whatever
// the viewer's own time zone is.

export const DISPLAY_TIME_ZONE = "Asia/Shanghai";

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const dateTimeParts = new Intl.DateTimeFormat("en-US", {
  timeZone: DISPLAY_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

interface DisplayParts {
  date: string;
  time: string | null;
}

function toDisplayParts(value: string): DisplayParts | null {
  // A bare date has no time zone, so it is never converted: parsing it with Date would
  // treat it as UTC midnight and could move it to the previous day.
  if (DATE_ONLY.test(value)) {
    return { date: value, time: null };
  }

  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) {
    return null;
  }

  const parts: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(instant)) {
    parts[part.type] = part.value;
  }
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/**
 * Formats a `Date` or `DateTime` value as YYYY-MM-DD.
 * Returns null for a missing value and the input unchanged when it cannot be parsed.
 */
export function formatDate(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  const parts = toDisplayParts(value);
  return parts ? parts.date : value;
}

/**
 * Formats a `DateTime` value as "YYYY-MM-DD HH:mm" in Beijing time. A bare `Date` value
 * stays YYYY-MM-DD. Returns null for a missing value and the input unchanged when it
 * cannot be parsed.
 */
export function formatDateTime(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  const parts = toDisplayParts(value);
  if (!parts) {
    return value;
  }
  return parts.time ? `${parts.date} ${parts.time}` : parts.date;
}
