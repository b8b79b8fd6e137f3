import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  createAccountServer,
  fieldErrorText,
  GENERIC_LOGIN_FAILURE,
  loginSuccess,
  NEW_USER,
  operationNames,
  USER,
} from "./accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "./helpers";

async function signIn(wrapper: VueWrapper, username: string, password: string) {
  await wrapper.get('input[data-testid="login-username"]').setValue(username);
  await wrapper.get('input[data-testid="login-password"]').setValue(password);
  await wrapper.get(".login form").trigger("submit");
  await flushPromises();
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("LoginView", () => {
  it("signs in and returns to the redirect page", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, { Login: () => loginSuccess(USER) });
    const { wrapper, router, session } = await mountApp("/login?redirect=/certificate-check", server.fetch);

    await signIn(wrapper, "  zhangsan ", "Jinshui-Scale-2026");

    const login = server.requests.find((request) => request.body?.operationName === "Login");
    expect(login?.body?.variables).toEqual({ username: "zhangsan", password: "Jinshui-Scale-2026" });
    expect(login?.body?.query).toContain("channel: PC");
    expect(login?.headers.get("X-CSRFToken")).toBe("TOKEN");
    await vi.waitFor(() => {
      expect(router.currentRoute.value.path).toBe("/certificate-check");
    }, ROUTE_TIMEOUT);
    expect(session.state.me).toMatchObject(USER);
    expect(wrapper.get('[data-testid="header-user-name"]').text()).toBe("张三");
  });

  it("goes home without a redirect parameter", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, { Login: () => loginSuccess(USER) });
    const { wrapper, router } = await mountApp("/login", server.fetch);

    await signIn(wrapper, "zhangsan", "Jinshui-Scale-2026");

    await vi.waitFor(() => {
      expect(router.currentRoute.value.path).toBe("/");
    }, ROUTE_TIMEOUT);
  });

  it.each(["//evil.example", "https://evil.example/", "/\\evil.example"])(
    "ignores the unsafe redirect %s",
    async (redirect) => {
      setCookie("csrftoken", "TOKEN");
      const server = createAccountServer(null, { Login: () => loginSuccess(USER) });
      const { wrapper, router } = await mountApp(`/login?redirect=${encodeURIComponent(redirect)}`, server.fetch);

      await signIn(wrapper, "zhangsan", "Jinshui-Scale-2026");

      await vi.waitFor(() => {
        expect(router.currentRoute.value.path).toBe("/");
      }, ROUTE_TIMEOUT);
      expect(router.currentRoute.value.fullPath).toBe("/");
    },
  );

  it("sends a must-change user to /change-password", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, { Login: () => loginSuccess(NEW_USER) });
    const { wrapper, router } = await mountApp("/login?redirect=/profile", server.fetch);

    await signIn(wrapper, "zhangsan", "Initial-Pass-01");

    await vi.waitFor(() => {
      expect(router.currentRoute.value.path).toBe("/change-password");
    }, ROUTE_TIMEOUT);
    await flushPromises();
    expect(wrapper.get('[data-testid="must-change-notice"]').text()).toContain("首次登录或密码重置后须修改密码");
  });

  it("shows the server's generic failure as given", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, {
      Login: () => ({
        data: {
          login: {
            __typename: "LoginPayload",
            errors: [{ __typename: "FieldError", field: null, message: GENERIC_LOGIN_FAILURE, code: "invalid_credentials" }],
            user: null,
          },
        },
      }),
    });
    const { wrapper, router, session } = await mountApp("/login", server.fetch);

    await signIn(wrapper, "zhangsan", "wrong");

    expect(wrapper.get('[data-testid="login-error"]').text()).toBe(GENERIC_LOGIN_FAILURE);
    expect(router.currentRoute.value.path).toBe("/login");
    expect(session.state.me).toBeNull();
    expect(wrapper.find('[data-testid="header-login"]').exists()).toBe(true);
  });

  it("shows the RATE_LIMITED message", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, {
      Login: () => ({
        data: { login: null },
        errors: [{ message: "登录尝试过于频繁，请稍后再试。", path: ["login"], extensions: { code: "RATE_LIMITED" } }],
      }),
    });
    const { wrapper } = await mountApp("/login", server.fetch);

    await signIn(wrapper, "zhangsan", "Jinshui-Scale-2026");

    const failure = wrapper.get('[data-testid="login-error"]');
    expect(failure.attributes("data-code")).toBe("RATE_LIMITED");
    expect(failure.text()).toBe("登录尝试过于频繁，请稍后再试。");
  });

  it("shows a server field error under its field", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, {
      Login: () => ({
        data: {
          login: {
            __typename: "LoginPayload",
            errors: [{ __typename: "FieldError", field: "username", message: "请输入用户名。", code: "required" }],
            user: null,
          },
        },
      }),
    });
    const { wrapper } = await mountApp("/login", server.fetch);

    await signIn(wrapper, "zhangsan", "Jinshui-Scale-2026");

    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper.element, "login-username")).toBe("请输入用户名。");
    });
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false);
  });

  it("names the empty fields before sending", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null);
    const { wrapper } = await mountApp("/login", server.fetch);

    await signIn(wrapper, "   ", "");

    expect(operationNames(server.requests)).toEqual(["Me"]);
    // Element Plus validates the two fields one after the other; wait for both.
    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper.element, "login-username")).toBe("请输入用户名");
      expect(fieldErrorText(wrapper.element, "login-password")).toBe("请输入密码");
    });
  });
});
