import { afterEach, describe, expect, it } from "vitest";

import { clearCookie, createFakeGraphQLFetch, mountRoute, setCookie } from "./helpers";

const ARTICLE = {
  __typename: "NoticePage",
  id: "21",
  title: "关于开展2026年计量器具监督检查的通知",
  date: "2026-04-02",
  publisher: "河南省市场监督管理局",
  summary: "部署全省计量器具监督检查工作。",
  body: '<p>各省辖市市场监督管理局：</p><p data-block="second">现将有关事项通知如下。</p>',
  sectionName: "通知公告",
};

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("ArticleView", () => {
  it("shows the article with its rendered body", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => ({ data: { page: ARTICLE } }));
    const { wrapper } = await mountRoute("/articles/21", server.fetch);

    expect(server.requests[0]!.body?.operationName).toBe("ArticleDetail");
    expect(server.requests[0]!.body?.variables).toEqual({ id: "21" });

    expect(wrapper.get('[data-testid="article-title"]').text()).toBe(ARTICLE.title);
    expect(wrapper.get('[data-testid="article-section"]').text()).toBe("栏目：通知公告");
    expect(wrapper.get('[data-testid="article-date"]').text()).toBe("发布日期：2026-04-02");
    expect(wrapper.get('[data-testid="article-publisher"]').text()).toBe("发布单位：河南省市场监督管理局");
    expect(wrapper.get('[data-testid="article-summary"]').text()).toBe(ARTICLE.summary);

    const body = wrapper.get('[data-testid="article-body"]');
    expect(body.findAll("p")).toHaveLength(2);
    expect(body.get('[data-block="second"]').text()).toBe("现将有关事项通知如下。");
    expect(wrapper.get('[data-testid="article-back"]').attributes("href")).toBe("/");
  });

  it("shows 未找到该文章 for a missing page", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => ({ data: { page: null } }));
    const { wrapper } = await mountRoute("/articles/999", server.fetch);

    expect(wrapper.get('[data-testid="article-not-found"]').text()).toContain("未找到该文章");
    expect(wrapper.find('[data-testid="article-title"]').exists()).toBe(false);
  });

  it("treats a non-article page as not found", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => ({ data: { page: { __typename: "HomePage", id: "3", title: "首页" } } }));
    const { wrapper } = await mountRoute("/articles/3", server.fetch);

    expect(wrapper.find('[data-testid="article-not-found"]').exists()).toBe(true);
  });

  it("shows a failure with retry on a network error", async () => {
    setCookie("csrftoken", "TOKEN");
    const failingFetch = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    const { wrapper } = await mountRoute("/articles/21", failingFetch);

    expect(wrapper.get('[data-testid="load-failure"]').text()).toContain("加载失败，请稍后重试");
    expect(wrapper.find('[data-testid="retry"]').exists()).toBe(true);
  });
});
