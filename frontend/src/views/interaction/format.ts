/** Formats an ISO date-time as YYYY-MM-DD HH:mm in the browser's time zone, or "" for null. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) {
    return "";
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return "";
  }
  const pad = (part: number) => String(part).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** Formats an ISO date-time as YYYY-MM-DD, or "" for null. */
export function formatDate(value: string | null | undefined): string {
  return formatDateTime(value).slice(0, 10);
}
