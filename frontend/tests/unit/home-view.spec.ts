import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it } from "vitest";

import { clearCookie, createFakeGraphQLFetch, mountRoute, type RecordedRequest, setCookie } from "./helpers";

const NEWS_BLOCK = {
  id: "news",
  kind: "NEWS_TABS",
  tabs: [
    {
      section: "WORK_UPDATES",
      title: "工作动态",
      items: [
        { id: "11", title: "省局召开全省计量工作会议", date: "2026-04-10" },
        { id: "12", title: "郑州市开展加油机专项检查", date: "2026-04-08" },
      ],
    },
    {
      section: "NOTICES",
      title: "通知公告",
      items: [{ id: "21", title: "关于开展2026年计量器具监督检查的通知", date: "2026-04-02" }],
    },
    { section: "LAWS", title: "法律法规", items: [] },
  ],
};

const TILES_BLOCK = {
  id: "tiles",
  kind: "TOPIC_TILES",
  title: "专题专栏",
  tiles: [
    { title: "国家企业信用信息公示系统", description: "", href: "https://www.gsxt.gov.cn/", external: true },
    { title: "强制检定管理系统", description: "", href: "/articles/40", external: false },
    { title: "计量服务中小企业", description: "", href: null, external: false },
  ],
};

const BANNER_BLOCK = {
  id: "banner",
  kind: "BANNER",
  slides: [
    { title: "计量惠民 服务发展", caption: "", image: { url: "/media/b1.png", width: 1200, height: 360 }, href: null, external: false },
  ],
};

const LINKS_BLOCK = {
  id: "links",
  kind: "LINKS",
  title: "相关链接",
  links: [{ title: "国家市场监督管理总局", href: "https://www.samr.gov.cn/", external: true, category: "related_site", categoryLabel: "相关网站" }],
};

function homeResponse(division: { code: string; name: string } | null = null) {
  return {
    data: {
      portalHome: {
        title: "河南省计量综合服务管理平台",
        introduction: "",
        division,
        divisions: [{ code: "410100", name: "郑州市" }],
        blocks: [BANNER_BLOCK, NEWS_BLOCK, TILES_BLOCK, LINKS_BLOCK],
      },
    },
  };
}

function respond(request: RecordedRequest) {
  if (request.body?.operationName === "RecordPageView") {
    return { data: { recordPageView: { recorded: true } } };
  }
  const division = request.body?.variables?.division;
  return homeResponse(division === "410100" ? { code: "410100", name: "郑州市" } : null);
}

function homeRequests(requests: RecordedRequest[]) {
  return requests.filter((request) => request.body?.operationName === "PortalHomeLayout");
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("HomeView", () => {
  it("renders the blocks in the editors' order", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/", server.fetch);

    expect(wrapper.find('[data-testid="home-banner"]').exists()).toBe(true);
    const labels = wrapper.get('[data-testid="news-tabs"]').findAll(".el-tabs__item").map((tab) => tab.text());
    expect(labels).toEqual(["工作动态", "通知公告", "法律法规"]);
    expect(wrapper.get('[data-testid="home-links"]').text()).toContain("国家市场监督管理总局");
  });

  it("lists each section's items with dates, links and a 更多 link", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/", server.fetch);

    const panes = wrapper.findAll(".el-tab-pane");
    const workUpdates = panes[0]!.findAll('[data-testid="news-item"]');
    expect(workUpdates.map((item) => item.get("a").text())).toEqual(["省局召开全省计量工作会议", "郑州市开展加油机专项检查"]);
    expect(workUpdates.map((item) => item.get("time").text())).toEqual(["2026-04-10", "2026-04-08"]);
    expect(workUpdates[0]!.get("a").attributes("href")).toBe("/articles/11");
    expect(panes[1]!.get('[data-testid="news-more"]').attributes("href")).toBe("/sections/notices");
    expect(panes[2]!.text()).toContain("暂无内容");
  });

  it("links topic tiles inside and outside the portal", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/", server.fetch);

    const tiles = wrapper.findAll('[data-testid="topic-tile"]');
    expect(tiles.map((tile) => tile.text())).toEqual(["国家企业信用信息公示系统", "强制检定管理系统", "计量服务中小企业"]);
    expect(tiles[0]!.get("a").attributes("target")).toBe("_blank");
    expect(tiles[1]!.get("a").attributes("href")).toBe("/articles/40");
    expect(tiles[2]!.find("a").exists()).toBe(false);
    expect(wrapper.get('[data-testid="check-entry"]').attributes("href")).toBe("/certificate-check");
  });

  it("asks for the division in the address", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/?division=410100", server.fetch);

    expect(homeRequests(server.requests)[0]!.body?.variables).toEqual({ division: "410100" });
    expect(wrapper.get('[data-testid="division-note"]').text()).toBe("当前显示郑州市的首页");
  });

  it("ignores a malformed division in the address", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    await mountRoute("/?division=abc", server.fetch);

    expect(homeRequests(server.requests)[0]!.body?.variables).toEqual({ division: null });
  });

  it("reports the page view", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(respond);
    await mountRoute("/", server.fetch);

    const views = server.requests.filter((request) => request.body?.operationName === "RecordPageView");
    expect(views).toHaveLength(1);
    expect(views[0]!.body?.variables).toMatchObject({ path: "/" });
  });

  it("shows a failure with a retry that reloads", async () => {
    setCookie("csrftoken", "TOKEN");
    let failing = true;
    const server = createFakeGraphQLFetch((request) =>
      failing && request.body?.operationName === "PortalHomeLayout"
        ? { data: null, errors: [{ message: "Internal failure details" }] }
        : respond(request),
    );
    const { wrapper } = await mountRoute("/", server.fetch);

    const failure = wrapper.get('[data-testid="load-failure"]');
    expect(failure.text()).toContain("加载失败，请稍后重试");
    expect(failure.text()).not.toContain("Internal failure details");

    failing = false;
    await wrapper.get('[data-testid="retry"]').trigger("click");
    await flushPromises();

    expect(homeRequests(server.requests)).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="news-item"]')).toHaveLength(3);
  });
});
