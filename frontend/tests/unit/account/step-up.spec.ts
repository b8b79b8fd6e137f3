import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createAccountServer, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("step-up re-authentication", () => {
  it("asks for the password and retries the password change", async () => {
    setCookie("csrftoken", "TOKEN");
    let changes = 0;
    const reauth: Record<string, unknown>[] = [];
    const server = createAccountServer(USER, {
      ChangePassword: () => {
        changes += 1;
        if (changes === 1) {
          return {
            data: { changePassword: null },
            errors: [{ message: "该操作需要先验证身份。", path: ["changePassword"], extensions: { code: "STEP_UP_REQUIRED" } }],
          };
        }
        return {
          data: {
            changePassword: { __typename: "ChangePasswordPayload", errors: [], user: { __typename: "BusinessUser", ...USER } },
          },
        };
      },
      AccountSecurity: () => ({
        data: {
          accountSecurity: {
            __typename: "AccountSecurity",
            totpEnabled: false,
            recoveryCodesRemaining: 0,
            phone: null,
            email: null,
            messageSecondFactor: null,
            stepUpMethods: ["PASSWORD"],
            recentlyAuthenticated: false,
          },
        },
      }),
      Reauthenticate: (variables) => {
        reauth.push(variables);
        return { data: { reauthenticate: { __typename: "ReauthenticatePayload", errors: [], validMinutes: 10 } } };
      },
    });
    const { wrapper, router } = await mountApp("/change-password", server.fetch);

    await wrapper.get('input[data-testid="old-password"]').setValue("Jinshui-Scale-2026");
    await wrapper.get('input[data-testid="new-password"]').setValue("Zhengzhou#Meter77");
    await wrapper.get('input[data-testid="confirm-password"]').setValue("Zhengzhou#Meter77");
    await wrapper.get(".change-password form").trigger("submit");
    await flushPromises();

    const secret = document.querySelector<HTMLInputElement>('input[data-testid="step-up-secret"]');
    expect(secret).not.toBeNull();
    secret!.value = "Jinshui-Scale-2026";
    secret!.dispatchEvent(new Event("input"));
    document.querySelector<HTMLButtonElement>('[data-testid="step-up-submit"]')!.click();
    await flushPromises();

    expect(reauth).toEqual([{ method: "PASSWORD", secret: "Jinshui-Scale-2026" }]);
    expect(changes).toBe(2);
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe("/"), ROUTE_TIMEOUT);
  });
});
