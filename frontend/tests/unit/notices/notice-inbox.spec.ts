import { mount } from "@vue/test-utils";
import { install as installUrql } from "@urql/vue";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";

import { createGraphQLClient } from "@/graphql/client";
import { createPortalI18n } from "@/i18n";
import { routes } from "@/router";
import NoticeInboxView from "@/views/notices/NoticeInboxView.vue";

import { createFakeGraphQLFetch, ROUTE_TIMEOUT } from "../helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("NoticeInboxView", () => {
  it("shows read and unread notices", async () => {
    const server = createFakeGraphQLFetch(() => ({
      data: {
        myNotices: {
          __typename: "NoticeListPage",
          totalCount: 2,
          page: 1,
          pageSize: 20,
          items: [
            { __typename: "Notice", id: "1", title: "关于开展自查的通知", publisherName: "郑州市市场监督管理局", publishedAt: null, read: false },
            { __typename: "Notice", id: "2", title: "关于节日值班的通知", publisherName: "郑州市市场监督管理局", publishedAt: null, read: true },
          ],
        },
      },
    }));
    const router = createRouter({ history: createMemoryHistory(), routes });
    await router.push("/");
    const wrapper = mount(NoticeInboxView, {
      attachTo: document.body,
      global: { plugins: [createPortalI18n(), router, [installUrql, createGraphQLClient(server.fetch)]] },
    });

    await vi.waitFor(() => expect(wrapper.find('[data-testid="notice-read-1"]').exists()).toBe(true), ROUTE_TIMEOUT);
    expect(wrapper.get('[data-testid="notice-read-1"]').text()).toBe("未读");
    expect(wrapper.get('[data-testid="notice-read-2"]').text()).toBe("已读");
    expect(server.requests.map((request) => request.body?.operationName)).toContain("MyNotices");
  });
});
