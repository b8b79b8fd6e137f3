import type { ArticleDetailQuery } from "@/gql/graphql";

type DetailPage = NonNullable<ArticleDetailQuery["page"]>;

/** The article variant of ArticleDetail's page: one of the three news page types. */
export type ArticlePage = Extract<DetailPage, { body: string }>;

/**
 * Returns the page when it is an article. `page(id:)` resolves any Wagtail page, so an
 * id of the home page or a section index returns a page without article fields, which
 * the portal treats as not found.
 */
export function asArticle(page: ArticleDetailQuery["page"] | undefined): ArticlePage | null {
  if (!page || !("body" in page)) {
    return null;
  }
  return page;
}
