import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { clearCookie, createFakeGraphQLFetch, mountRoute, type RecordedRequest, ROUTE_TIMEOUT, setCookie } from "./helpers";

const RESULTS = {
  total: 2,
  totalIsCapped: false,
  errors: [],
  items: [
    {
      kind: "PAGE",
      title: "<b>计量</b>通知",
      highlightedTitle: "&lt;b&gt;<mark>计量</mark>&lt;/b&gt;通知",
      snippet: "关于<mark>计量</mark>器具……",
      url: "/articles/5",
      section: "NOTICES",
    },
    {
      kind: "INSTITUTION",
      title: "河南省计量测试科学研究院",
      highlightedTitle: "河南省<mark>计量</mark>测试科学研究院",
      snippet: "郑州市",
      url: null,
      section: null,
    },
  ],
};

function respond(request: RecordedRequest) {
  if (request.body?.operationName === "RecordPageView") {
    return { data: { recordPageView: { recorded: true } } };
  }
  if (request.body?.variables?.query === "x".repeat(3)) {
    return { data: { search: { total: 0, totalIsCapped: false, items: [], errors: [{ field: "query", message: "检索词过长", code: "too_long" }] } } };
  }
  return { data: { search: RESULTS } };
}

function searches(requests: RecordedRequest[]) {
  return requests.filter((request) => request.body?.operationName === "PortalSearch");
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("SearchView", () => {
  it("shows highlighted results with their sections", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/search?q=计量", server.fetch);

    expect(searches(server.requests)[0]!.body?.variables).toEqual({ query: "计量", section: null, limit: 10, offset: 0 });
    expect(wrapper.get('[data-testid="search-total"]').text()).toBe("共找到 2 条结果");
    const results = wrapper.findAll('[data-testid="search-result"]');
    expect(results[0]!.get("a").html()).toContain("<mark>计量</mark>");
    // The escaped tag stays text: no <b> element reaches the page.
    expect(results[0]!.find("b").exists()).toBe(false);
    expect(results[0]!.text()).toContain("通知公告");
    expect(results[1]!.text()).toContain("技术机构");
  });

  it("filters by section through the address", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper, router } = await mountRoute("/search?q=计量", server.fetch);

    const disclosures = wrapper.findAll('[data-testid="search-sections"] label').find((label) => label.text() === "公示公告");
    await disclosures!.trigger("click");
    await vi.waitFor(() => expect(router.currentRoute.value.query.section).toBe("DISCLOSURES"), ROUTE_TIMEOUT);
    await flushPromises();

    expect(searches(server.requests).at(-1)!.body?.variables).toMatchObject({ query: "计量", section: "DISCLOSURES" });
  });

  it("shows the server's message for rejected input", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/search?q=xxx", server.fetch);

    expect(wrapper.get('[data-testid="search-error"]').text()).toContain("检索词过长");
  });

  it("sends no search without a query", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/search", server.fetch);

    expect(searches(server.requests)).toHaveLength(0);
    expect(wrapper.text()).toContain("多个词用空格分开");
  });
});
