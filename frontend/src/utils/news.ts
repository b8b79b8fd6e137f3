import type { PortalHomeQuery } from "@/gql/graphql";
import type { NewsItem } from "@/types/news";

type ArticleListPage = PortalHomeQuery["notices"][number];

/** Converts the pages of one PortalHome list into news entries, skipping pages without an id. */
export function toNewsItems(pages: readonly ArticleListPage[] | undefined): NewsItem[] {
  const items: NewsItem[] = [];
  for (const page of pages ?? []) {
    // The schema types Page.id as nullable, and an entry without one cannot link anywhere.
    if (!page.id) {
      continue;
    }
    items.push({
      id: page.id,
      title: page.title,
      date: "date" in page ? page.date : null,
    });
  }
  return items;
}
