import type { ArticleSection } from "@/gql/graphql";

/** Route segment of each portal section, as in /sections/<segment>. */
export const SECTION_SEGMENTS: Record<ArticleSection, string> = {
  WORK_UPDATES: "work-updates",
  NOTICES: "notices",
  LAWS: "laws",
  CATALOGUES: "catalogues",
  LEGAL_EDUCATION: "legal-education",
  DISCLOSURES: "disclosures",
  TOPICS: "topics",
};

/** Section keys in the order the search filter and the navigation show them. */
export const SECTION_ORDER: ArticleSection[] = [
  "WORK_UPDATES",
  "NOTICES",
  "LAWS",
  "CATALOGUES",
  "LEGAL_EDUCATION",
  "DISCLOSURES",
  "TOPICS",
];

/** Returns the section of a route segment, or null for an unknown one. */
export function sectionFromSegment(segment: string): ArticleSection | null {
  const found = SECTION_ORDER.find((section) => SECTION_SEGMENTS[section] === segment);
  return found ?? null;
}

export function sectionPath(section: ArticleSection): string {
  return `/sections/${SECTION_SEGMENTS[section]}`;
}

/** Returns whether an address leaves the portal (http or https with a host). */
export function isExternal(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

/** Formats a file size in bytes as 12 KB or 1.5 MB. */
export function formatFileSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) {
    return "";
  }
  if (bytes < 1024 * 1024) {
    return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
