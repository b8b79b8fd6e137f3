import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createAccountServer, loginSuccess, operationNames, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

const CAPTCHA_IMAGE = "data:image/png;base64,iVBORw0KGgo=";

async function signIn(wrapper: VueWrapper, username = "zhangsan", password = "Jinshui-Scale-2026") {
  await wrapper.get('input[data-testid="login-username"]').setValue(username);
  await wrapper.get('input[data-testid="login-password"]').setValue(password);
  await wrapper.get(".login form").trigger("submit");
  await flushPromises();
}

function loginPayload(fields: Record<string, unknown>) {
  return {
    data: {
      login: {
        __typename: "LoginPayload",
        errors: [],
        user: null,
        captchaRequired: false,
        secondFactorRequired: false,
        challenge: null,
        secondFactorMethods: [],
        ...fields,
      },
    },
  };
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("sign-in with captcha", () => {
  it("shows the captcha when the server asks for it and sends the answer", async () => {
    setCookie("csrftoken", "TOKEN");
    let captchas = 0;
    const logins: Record<string, unknown>[] = [];
    const server = createAccountServer(null, {
      Captcha: () => {
        captchas += 1;
        return { data: { captcha: { __typename: "Captcha", id: `captcha-${captchas}`, image: CAPTCHA_IMAGE } } };
      },
      Login: (variables) => {
        logins.push(variables);
        if (logins.length === 1) {
          return loginPayload({
            errors: [{ __typename: "FieldError", field: "captcha", message: "请输入图片中的验证码。", code: "captcha_required" }],
            captchaRequired: true,
          });
        }
        return loginSuccess(USER);
      },
    });
    const { wrapper, router } = await mountApp("/login", server.fetch);

    await signIn(wrapper);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="captcha-image"]').exists()).toBe(true));
    expect(logins[0]).not.toHaveProperty("captchaId");

    await wrapper.get('input[data-testid="captcha-answer"]').setValue("k7wx");
    await signIn(wrapper);

    expect(logins[1]).toMatchObject({ captchaId: "captcha-1", captchaAnswer: "k7wx" });
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe("/"), ROUTE_TIMEOUT);
  });

  it("loads a new image after a wrong answer", async () => {
    setCookie("csrftoken", "TOKEN");
    let captchas = 0;
    const server = createAccountServer(null, {
      Captcha: () => {
        captchas += 1;
        return { data: { captcha: { __typename: "Captcha", id: `captcha-${captchas}`, image: CAPTCHA_IMAGE } } };
      },
      Login: () =>
        loginPayload({
          errors: [{ __typename: "FieldError", field: "captcha", message: "验证码不正确或已过期。", code: "captcha_invalid" }],
          captchaRequired: true,
        }),
    });
    const { wrapper } = await mountApp("/login", server.fetch);

    await signIn(wrapper);
    await vi.waitFor(() => expect(captchas).toBe(1));
    await wrapper.get('input[data-testid="captcha-answer"]').setValue("AAAA");
    await signIn(wrapper);

    await vi.waitFor(() => expect(captchas).toBe(2));
  });
});

describe("two-step sign-in", () => {
  it("asks for the TOTP code and then signs in", async () => {
    setCookie("csrftoken", "TOKEN");
    const verified: Record<string, unknown>[] = [];
    const server = createAccountServer(null, {
      Login: () => loginPayload({ secondFactorRequired: true, challenge: "CHALLENGE", secondFactorMethods: ["TOTP", "RECOVERY_CODE"] }),
      VerifyLoginSecondFactor: (variables) => {
        verified.push(variables);
        return {
          data: {
            verifyLoginSecondFactor: {
              __typename: "VerifyLoginSecondFactorPayload",
              errors: [],
              user: { __typename: "BusinessUser", ...USER },
            },
          },
        };
      },
    });
    const { wrapper, router, session } = await mountApp("/login?redirect=/profile", server.fetch);

    await signIn(wrapper);

    expect(wrapper.find('[data-testid="second-factor-step"]').exists()).toBe(true);
    expect(session.state.me).toBeNull();
    await wrapper.get('input[data-testid="second-factor-code"]').setValue("123456");
    await wrapper.get('[data-testid="second-factor-step"] form').trigger("submit");
    await flushPromises();

    expect(verified).toEqual([{ challenge: "CHALLENGE", method: "TOTP", code: "123456" }]);
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe("/profile"), ROUTE_TIMEOUT);
    expect(session.state.me).toMatchObject(USER);
  });

  it("sends an SMS code and shows where it went", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, {
      Login: () => loginPayload({ secondFactorRequired: true, challenge: "CHALLENGE", secondFactorMethods: ["SMS"] }),
      SendLoginCode: () => ({
        data: { sendLoginCode: { __typename: "SendLoginCodePayload", errors: [], destination: "138****5678" } },
      }),
    });
    const { wrapper } = await mountApp("/login", server.fetch);

    await signIn(wrapper);
    await wrapper.get('[data-testid="second-factor-send"]').trigger("click");
    await flushPromises();

    expect(operationNames(server.requests)).toContain("SendLoginCode");
    expect(wrapper.get('[data-testid="second-factor-sent"]').text()).toContain("138****5678");
  });

  it("shows a wrong-code message and stays on the step", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, {
      Login: () => loginPayload({ secondFactorRequired: true, challenge: "CHALLENGE", secondFactorMethods: ["TOTP"] }),
      VerifyLoginSecondFactor: () => ({
        data: {
          verifyLoginSecondFactor: {
            __typename: "VerifyLoginSecondFactorPayload",
            errors: [{ __typename: "FieldError", field: "code", message: "验证码不正确或已使用，请重新输入。", code: "invalid_code" }],
            user: null,
          },
        },
      }),
    });
    const { wrapper, session } = await mountApp("/login", server.fetch);

    await signIn(wrapper);
    await wrapper.get('input[data-testid="second-factor-code"]').setValue("000000");
    await wrapper.get('[data-testid="second-factor-step"] form').trigger("submit");
    await flushPromises();

    expect(wrapper.get('[data-testid="second-factor-error"]').text()).toContain("验证码不正确");
    expect(session.state.me).toBeNull();
  });
});
