/** One entry of a news list on the portal home page. */
export interface NewsItem {
  id: string;
  title: string;
  /** Publication date as YYYY-MM-DD, or null when the page type has no date field. */
  date: string | null;
}
