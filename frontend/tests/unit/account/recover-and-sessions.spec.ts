import { flushPromises } from "@vue/test-utils";
import { ElMessageBox } from "element-plus";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createAccountServer, USER } from "../accounts";
import { clearCookie, mountApp, setCookie } from "../helpers";

const CAPTCHA = { data: { captcha: { __typename: "Captcha", id: "captcha-1", image: "data:image/png;base64,AA==" } } };
const SENT = "如果该账号存在并已验证所选的联系方式，验证码已发出，请在 5 分钟内输入。";

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("RecoverPasswordView", () => {
  it("requests a code and sets a new password", async () => {
    setCookie("csrftoken", "TOKEN");
    const calls: Record<string, Record<string, unknown>> = {};
    const server = createAccountServer(null, {
      Captcha: () => CAPTCHA,
      RequestPasswordRecovery: (variables) => {
        calls.request = variables;
        return {
          data: {
            requestPasswordRecovery: {
              __typename: "RequestPasswordRecoveryPayload",
              errors: [],
              recoveryId: "RECOVERY",
              message: SENT,
            },
          },
        };
      },
      ResetPasswordWithCode: (variables) => {
        calls.reset = variables;
        return { data: { resetPasswordWithCode: { __typename: "ResetPasswordWithCodePayload", errors: [] } } };
      },
    });
    const { wrapper } = await mountApp("/account/recover", server.fetch);

    await wrapper.get('input[data-testid="recover-username"]').setValue("zhangsan");
    await wrapper.get('input[data-testid="captcha-answer"]').setValue("K7WX");
    await wrapper.get(".recover form").trigger("submit");
    await flushPromises();

    expect(calls.request).toEqual({ username: "zhangsan", channel: "SMS", captchaId: "captcha-1", captchaAnswer: "K7WX" });
    expect(wrapper.get('[data-testid="recover-sent"]').text()).toContain(SENT);

    await wrapper.get('input[data-testid="recover-code"]').setValue("123456");
    await wrapper.get('input[data-testid="recover-new-password"]').setValue("Zhengzhou#Meter77");
    await wrapper.get('input[data-testid="recover-confirm-password"]').setValue("Zhengzhou#Meter77");
    await wrapper.get(".recover form").trigger("submit");
    await flushPromises();

    expect(calls.reset).toEqual({ recoveryId: "RECOVERY", code: "123456", newPassword: "Zhengzhou#Meter77" });
    expect(wrapper.find('[data-testid="recover-done"]').exists()).toBe(true);
  });

  it("shows a wrong captcha under its field and loads a new one", async () => {
    setCookie("csrftoken", "TOKEN");
    let captchas = 0;
    const server = createAccountServer(null, {
      Captcha: () => {
        captchas += 1;
        return CAPTCHA;
      },
      RequestPasswordRecovery: () => ({
        data: {
          requestPasswordRecovery: {
            __typename: "RequestPasswordRecoveryPayload",
            errors: [{ __typename: "FieldError", field: "captcha", message: "验证码不正确或已过期。", code: "captcha_invalid" }],
            recoveryId: null,
            message: null,
          },
        },
      }),
    });
    const { wrapper } = await mountApp("/account/recover", server.fetch);

    await wrapper.get('input[data-testid="recover-username"]').setValue("zhangsan");
    await wrapper.get('input[data-testid="captcha-answer"]').setValue("AAAA");
    await wrapper.get(".recover form").trigger("submit");
    await flushPromises();

    await vi.waitFor(() => expect(captchas).toBe(2));
    // Element Plus shows a field error after a short debounce.
    await vi.waitFor(() => expect(wrapper.text()).toContain("验证码不正确或已过期。"));
  });
});

describe("OnlineSessionsView", () => {
  const sessions = {
    data: {
      myOnlineSessions: {
        __typename: "OnlineSessionPage",
        totalCount: 2,
        page: 1,
        pageSize: 20,
        items: [
          {
            __typename: "OnlineSession",
            id: "1",
            channel: "PC",
            ipAddress: "203.0.113.7",
            userAgent: "Mozilla/5.0 办公电脑",
            startedAt: "2026-12-04T08:00:00+08:00",
            lastSeenAt: "2026-12-04T08:30:00+08:00",
            current: true,
          },
          {
            __typename: "OnlineSession",
            id: "2",
            channel: "MOBILE",
            ipAddress: "203.0.113.8",
            userAgent: "计量平台 App",
            startedAt: "2026-12-04T07:00:00+08:00",
            lastSeenAt: "2026-12-04T07:30:00+08:00",
            current: false,
          },
        ],
      },
    },
  };

  it("lists the sessions and signs out another one", async () => {
    setCookie("csrftoken", "TOKEN");
    vi.spyOn(ElMessageBox, "confirm").mockResolvedValue("confirm" as never);
    const ended: Record<string, unknown>[] = [];
    const server = createAccountServer(USER, {
      MyOnlineSessions: () => sessions,
      EndOnlineSession: (variables) => {
        ended.push(variables);
        return { data: { endOnlineSession: { __typename: "EndOnlineSessionPayload", errors: [] } } };
      },
    });
    const { wrapper } = await mountApp("/account/sessions", server.fetch);
    await flushPromises();

    const text = wrapper.get('[data-testid="sessions-table"]').text();
    expect(text).toContain("203.0.113.7");
    expect(text).toContain("计量平台 App");
    expect(wrapper.findAll('[data-testid="sessions-current"]')).toHaveLength(1);
    // The current session has no sign-out button of its own.
    const buttons = wrapper.findAll('[data-testid="sessions-end"]');
    expect(buttons).toHaveLength(1);

    await buttons[0]!.trigger("click");
    await flushPromises();

    expect(ended).toEqual([{ id: "2" }]);
  });

  it("sends anonymous visitors to sign in", async () => {
    const server = createAccountServer(null);
    const { router } = await mountApp("/account/sessions", server.fetch);

    expect(router.currentRoute.value.path).toBe("/login");
  });
});
