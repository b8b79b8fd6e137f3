import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { setUnreadCount } from "@/views/messages/unread";

import { accessGranting, createAccountServer, operationNames, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

afterEach(() => {
  clearCookie("csrftoken");
  setUnreadCount(null);
  document.body.innerHTML = "";
});

function message(id: string, isRead: boolean, link = "") {
  return {
    __typename: "Message",
    id,
    kind: "EXPIRY",
    kindLabel: "到期提醒",
    title: `电子计价秤（出厂编号 SN${id}）检定证书有效期将于 2027年3月9日 到期`,
    body: "该器具的检定证书有效期至 2027年3月9日。请及时申请检定。",
    link,
    isRead,
    createdAt: "2027-02-10T01:00:00+00:00",
    readAt: isRead ? "2027-02-10T02:00:00+00:00" : null,
  };
}

function messagesPage(items: ReturnType<typeof message>[], unread: number) {
  return {
    data: {
      messages: { __typename: "MessagePage", totalCount: items.length, page: 1, pageSize: 20, items },
      unreadMessageCount: unread,
    },
  };
}

describe("message centre", () => {
  it("lists messages with their read state and marks one read", async () => {
    setCookie("csrftoken", "TOKEN");
    const marked: unknown[] = [];
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["messages.view"]),
      Messages: () => messagesPage([message("1", false), message("2", true)], 1),
      MarkMessagesRead: (variables) => {
        marked.push(variables.ids);
        return {
          data: {
            markMessagesRead: { __typename: "MarkMessagesReadPayload", markedCount: 1, unreadCount: 0, errors: [] },
          },
        };
      },
    });
    const { wrapper } = await mountApp("/workbench/messages", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="messages-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();

    expect(wrapper.findAll('[data-testid="message-title"]')).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="message-unread"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="message-centre-unread"]').text()).toContain("1");

    await wrapper.get('[data-testid="message-mark-read"]').trigger("click");
    await flushPromises();

    expect(marked).toEqual([["1"]]);
    expect(operationNames(server.requests)).toContain("MarkMessagesRead");
  });

  it("sends the kind and unread filters", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["messages.view"]),
      Messages: () => messagesPage([], 0),
    });
    const { wrapper } = await mountApp("/workbench/messages", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="messages-search"]').exists()).toBe(true), ROUTE_TIMEOUT);

    await wrapper.get('[data-testid="messages-unread-only"] input').setValue(true);
    await wrapper.get('[data-testid="messages-search"]').trigger("submit");
    await flushPromises();

    const last = server.requests.filter((request) => request.body?.operationName === "Messages").at(-1);
    expect(last?.body?.variables).toMatchObject({ unreadOnly: true, kind: null, page: 1 });
    expect(wrapper.text()).toContain("暂无消息");
  });

  it("shows the unread count on the workbench home bell", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["messages.view"]),
      UnreadMessageCount: () => ({ data: { unreadMessageCount: 7 } }),
    });
    const { wrapper } = await mountApp("/workbench", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="message-bell"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();

    expect(wrapper.get('[data-testid="message-bell-count"]').text()).toContain("7");
    expect(wrapper.get('[data-testid="message-bell"]').attributes("aria-label")).toBe("7 条未读消息");
  });

  it("shows the expiry counts to enterprise users", async () => {
    setCookie("csrftoken", "TOKEN");
    const band = (leadDays: number | null, label: string, count: number) => ({
      __typename: "ExpiryBand",
      leadDays,
      overdue: leadDays === null,
      label,
      count,
    });
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["instruments.view"]),
      ExpirySummary: () => ({
        data: {
          expirySummary: {
            __typename: "ExpirySummary",
            totalCount: 5,
            bands: [band(30, "16–30 天内到期", 3), band(7, "7 天内到期", 0), band(null, "已过期", 2)],
          },
        },
      }),
    });
    const { wrapper } = await mountApp("/workbench", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="expiry-summary"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();

    expect(wrapper.get('[data-testid="expiry-band-30"]').text()).toContain("3");
    expect(wrapper.get('[data-testid="expiry-band-overdue"]').text()).toContain("已过期");
    expect(operationNames(server.requests)).not.toContain("UnreadMessageCount");
  });
});
