import { describe, expect, it } from "vitest";

import { formatDate, formatDateTime } from "@/utils/date";

describe("formatDate", () => {
  it("keeps a bare date unchanged", () => {
    expect(formatDate("2025-03-01")).toBe("2025-03-01");
  });

  it("does not shift a bare date to the previous day", () => {
    // Parsed with Date, "2025-01-01" is UTC midnight, which is still 2024 west of UTC.
    expect(formatDate("2025-01-01")).toBe("2025-01-01");
  });

  it("converts a date-time to its Beijing date", () => {
    expect(formatDate("2025-03-01T17:30:00+00:00")).toBe("2025-03-02");
    expect(formatDate("2025-03-01T15:59:59Z")).toBe("2025-03-01");
  });

  it("returns null for a missing value", () => {
    expect(formatDate(null)).toBeNull();
    expect(formatDate(undefined)).toBeNull();
    expect(formatDate("")).toBeNull();
  });

  it("returns an unparseable value unchanged", () => {
    expect(formatDate("not a date")).toBe("not a date");
  });
});

describe("formatDateTime", () => {
  it("shows a date-time in Beijing time", () => {
    expect(formatDateTime("2025-03-01T01:05:00+00:00")).toBe("2025-03-01 09:05");
    expect(formatDateTime("2025-03-01T09:05:00+08:00")).toBe("2025-03-01 09:05");
  });

  it("uses 00 for midnight", () => {
    expect(formatDateTime("2025-03-01T16:00:00Z")).toBe("2025-03-02 00:00");
  });

  it("keeps a bare date without a time", () => {
    expect(formatDateTime("2025-03-01")).toBe("2025-03-01");
  });

  it("returns null for a missing value", () => {
    expect(formatDateTime(null)).toBeNull();
  });

  it("returns an unparseable value unchanged", () => {
    expect(formatDateTime("2025-13-45T99:00")).toBe("2025-13-45T99:00");
  });
});
