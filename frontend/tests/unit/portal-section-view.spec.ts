import { afterEach, describe, expect, it } from "vitest";

import { clearCookie, createFakeGraphQLFetch, mountRoute, type RecordedRequest, setCookie } from "./helpers";

const PAGE = {
  totalCount: 2,
  page: 1,
  pageSize: 15,
  items: [
    {
      id: "31", title: "2026年第四批计量标准考核结果公示", date: "2026-11-28", section: "DISCLOSURES",
      sectionName: "公示公告", publisher: "河南省市场监督管理局", summary: "现予公示。",
      categoryLabel: "考核结果", periodEnd: "2026-12-04", restricted: false,
    },
    {
      id: "32", title: "内部公示", date: "2026-11-20", section: "DISCLOSURES", sectionName: "公示公告",
      publisher: "", summary: "", categoryLabel: "", periodEnd: null, restricted: true,
    },
  ],
};

function respond(request: RecordedRequest) {
  if (request.body?.operationName === "RecordPageView") {
    return { data: { recordPageView: { recorded: true } } };
  }
  return { data: { articleList: PAGE } };
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("SectionListView", () => {
  it("lists the section's articles with period and readership marks", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/sections/disclosures", server.fetch);

    const request = server.requests.find((item) => item.body?.operationName === "SectionArticles");
    expect(request!.body?.variables).toEqual({ section: "DISCLOSURES", page: 1, pageSize: 15 });
    expect(wrapper.get('[data-testid="section-title"]').text()).toBe("公示公告");
    const items = wrapper.findAll('[data-testid="section-item"]');
    expect(items[0]!.text()).toContain("公示截止：2026-12-04");
    expect(items[0]!.text()).toContain("考核结果");
    expect(items[1]!.text()).toContain("限定范围");
    expect(items[0]!.get("a").attributes("href")).toBe("/articles/31");
  });

  it("says so for an unknown section without asking the server", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/sections/nonsense", server.fetch);

    expect(wrapper.find('[data-testid="section-unknown"]').exists()).toBe(true);
    expect(server.requests.some((item) => item.body?.operationName === "SectionArticles")).toBe(false);
  });
});
