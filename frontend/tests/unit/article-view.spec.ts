import { afterEach, describe, expect, it } from "vitest";

import { clearCookie, createFakeGraphQLFetch, mountRoute, type RecordedRequest, setCookie } from "./helpers";

const ARTICLE = {
  id: "21",
  title: "关于开展2026年计量器具监督检查的通知",
  date: "2026-04-02",
  section: "NOTICES",
  sectionName: "通知公告",
  publisher: "河南省市场监督管理局",
  summary: "部署全省计量器具监督检查工作。",
  body: '<p>各省辖市市场监督管理局：</p><p data-block="second">现将有关事项通知如下。</p>',
  readership: "公开",
  restricted: false,
  category: null,
  categoryLabel: "",
  periodStart: null,
  periodEnd: null,
  attachments: [],
  catalogueEntries: [],
  topicLinks: [],
};

function responder(article: unknown) {
  return (request: RecordedRequest) =>
    request.body?.operationName === "RecordPageView"
      ? { data: { recordPageView: { recorded: true } } }
      : { data: { portalArticle: article } };
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("ArticleView", () => {
  it("shows the article with its rendered body", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(responder(ARTICLE));
    const { wrapper } = await mountRoute("/articles/21", server.fetch);

    expect(server.requests[0]!.body?.operationName).toBe("PortalArticle");
    expect(server.requests[0]!.body?.variables).toEqual({ id: "21" });

    expect(wrapper.get('[data-testid="article-title"]').text()).toBe(ARTICLE.title);
    expect(wrapper.get('[data-testid="article-section"]').text()).toBe("栏目：通知公告");
    expect(wrapper.get('[data-testid="article-date"]').text()).toBe("发布日期：2026-04-02");
    expect(wrapper.get('[data-testid="article-publisher"]').text()).toBe("发布单位：河南省市场监督管理局");
    expect(wrapper.get('[data-testid="article-summary"]').text()).toBe(ARTICLE.summary);
    expect(wrapper.find('[data-testid="article-readership"]').exists()).toBe(false);

    const body = wrapper.get('[data-testid="article-body"]');
    expect(body.findAll("p")).toHaveLength(2);
    expect(body.get('[data-block="second"]').text()).toBe("现将有关事项通知如下。");
    expect(wrapper.get('[data-testid="article-back"]').attributes("href")).toBe("/");
    expect(wrapper.get('[data-testid="article-section-link"]').attributes("href")).toBe("/sections/notices");
  });

  it("shows attachments, readership and the disclosure period", async () => {
    setCookie("csrftoken", "TOKEN");
    const disclosure = {
      ...ARTICLE,
      section: "DISCLOSURES",
      sectionName: "公示公告",
      restricted: true,
      readership: "指定范围：监管部门",
      periodStart: "2026-11-27",
      periodEnd: "2026-12-04",
      attachments: [{ title: "公示名单.pdf", url: "/documents/5/list.pdf", fileExtension: "pdf", fileSize: 204800 }],
    };
    const server = createFakeGraphQLFetch(responder(disclosure));
    const { wrapper } = await mountRoute("/articles/21", server.fetch);

    expect(wrapper.get('[data-testid="article-period"]').text()).toBe("公示期：2026-11-27 至 2026-12-04");
    expect(wrapper.get('[data-testid="article-readership"]').text()).toBe("查阅范围：指定范围：监管部门");
    const attachment = wrapper.get('[data-testid="article-attachments"] a');
    expect(attachment.text()).toBe("公示名单.pdf");
    expect(attachment.attributes("href")).toBe("/documents/5/list.pdf");
    expect(wrapper.get('[data-testid="article-attachments"]').text()).toContain("PDF 200 KB");
  });

  it("shows catalogue entries and topic links", async () => {
    setCookie("csrftoken", "TOKEN");
    const catalogue = {
      ...ARTICLE,
      catalogueEntries: [
        { code: "JJG 539-2016", name: "数字指示秤", kindLabel: "检定规程", status: "current", statusLabel: "现行", effectiveDate: "2016-11-30", note: "" },
      ],
      topicLinks: [
        { title: "国家企业信用信息公示系统", url: "https://www.gsxt.gov.cn/", category: "external_system", categoryLabel: "外部业务系统", description: "" },
      ],
    };
    const server = createFakeGraphQLFetch(responder(catalogue));
    const { wrapper } = await mountRoute("/articles/21", server.fetch);

    expect(wrapper.get('[data-testid="article-catalogue"]').text()).toContain("JJG 539-2016");
    const link = wrapper.get('[data-testid="article-links"] a');
    expect(link.attributes("href")).toBe("https://www.gsxt.gov.cn/");
    expect(link.attributes("rel")).toBe("noopener noreferrer");
  });

  it("shows 未找到该文章 for a missing or restricted page", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(responder(null));
    const { wrapper } = await mountRoute("/articles/999", server.fetch);

    expect(wrapper.get('[data-testid="article-not-found"]').text()).toContain("未找到该文章");
    expect(wrapper.find('[data-testid="article-title"]').exists()).toBe(false);
    expect(server.requests.some((request) => request.body?.operationName === "RecordPageView")).toBe(false);
  });

  it("reports the page view with the page and section", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(responder(ARTICLE));
    await mountRoute("/articles/21", server.fetch);

    const view = server.requests.find((request) => request.body?.operationName === "RecordPageView");
    expect(view?.body?.variables).toEqual({ path: "/articles/21", pageId: "21", section: "notices" });
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
