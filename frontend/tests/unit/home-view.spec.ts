import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it } from "vitest";

import { clearCookie, createFakeGraphQLFetch, mountRoute, setCookie } from "./helpers";

const PORTAL_HOME = {
  data: {
    notices: [
      { __typename: "NoticePage", id: "21", title: "关于开展2026年计量器具监督检查的通知", date: "2026-04-02" },
    ],
    workUpdates: [
      { __typename: "WorkUpdatePage", id: "11", title: "省局召开全省计量工作会议", date: "2026-04-10" },
      { __typename: "WorkUpdatePage", id: "12", title: "郑州市开展加油机专项检查", date: "2026-04-08" },
    ],
    laws: [],
  },
};

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("HomeView", () => {
  it("renders tabs in the customer's order", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => PORTAL_HOME);
    const { wrapper } = await mountRoute("/", server.fetch);

    const tabs = wrapper.get('[data-testid="news-tabs"]');
    const labels = tabs.findAll(".el-tabs__item").map((tab) => tab.text());
    expect(labels).toEqual(["工作动态", "通知公告", "法律法规"]);
  });

  it("lists each section's items with dates and links", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => PORTAL_HOME);
    const { wrapper } = await mountRoute("/", server.fetch);

    const panes = wrapper.findAll(".el-tab-pane");
    expect(panes).toHaveLength(3);

    const workUpdates = panes[0]!.findAll('[data-testid="news-item"]');
    expect(workUpdates.map((item) => item.get("a").text())).toEqual([
      "省局召开全省计量工作会议",
      "郑州市开展加油机专项检查",
    ]);
    expect(workUpdates.map((item) => item.get("time").text())).toEqual(["2026-04-10", "2026-04-08"]);
    expect(workUpdates[0]!.get("a").attributes("href")).toBe("/articles/11");

    const notices = panes[1]!.findAll('[data-testid="news-item"]');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.get("a").attributes("href")).toBe("/articles/21");
  });

  it("shows 暂无内容 for an empty section", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => PORTAL_HOME);
    const { wrapper } = await mountRoute("/", server.fetch);

    const laws = wrapper.findAll(".el-tab-pane")[2]!;
    expect(laws.findAll('[data-testid="news-item"]')).toHaveLength(0);
    expect(laws.text()).toContain("暂无内容");
  });

  it("sends the PortalHome operation", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => PORTAL_HOME);
    await mountRoute("/", server.fetch);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body?.operationName).toBe("PortalHome");
  });

  it("shows the topic tiles and the check entry", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => PORTAL_HOME);
    const { wrapper } = await mountRoute("/", server.fetch);

    const tiles = wrapper.findAll('[data-testid="topic-tile"]').map((tile) => tile.text());
    expect(tiles).toEqual([
      "国家企业信用信息公示系统",
      "强制检定管理系统",
      "定量包装商品生产企业计量保证能力自我声明",
      "产业计量中心建设",
      "计量服务中小企业",
      "计量专业技术委员会建设",
    ]);
    expect(wrapper.get('[data-testid="check-entry"]').attributes("href")).toBe("/certificate-check");
  });

  it("shows a failure with a retry that reloads", async () => {
    setCookie("csrftoken", "TOKEN");
    let failing = true;
    const server = createFakeGraphQLFetch(() =>
      failing
        ? { data: null, errors: [{ message: "Internal failure details" }] }
        : PORTAL_HOME,
    );
    const { wrapper } = await mountRoute("/", server.fetch);

    const failure = wrapper.get('[data-testid="load-failure"]');
    expect(failure.text()).toContain("加载失败，请稍后重试");
    expect(failure.text()).not.toContain("Internal failure details");
    expect(wrapper.find('[data-testid="news-tabs"]').exists()).toBe(false);

    failing = false;
    await wrapper.get('[data-testid="retry"]').trigger("click");
    await flushPromises();

    expect(server.requests).toHaveLength(2);
    expect(wrapper.find('[data-testid="load-failure"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="news-item"]')).toHaveLength(3);
  });
});
