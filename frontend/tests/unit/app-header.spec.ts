import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createAccountServer, operationNames, USER } from "./accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "./helpers";

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("AppHeader", () => {
  it("offers 登录 to anonymous visitors", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null);
    const { wrapper } = await mountApp("/certificate-check?number=HNJY2026000123", server.fetch);

    const login = wrapper.get('[data-testid="header-login"]');
    expect(login.text()).toBe("登录");
    const href = new URL(login.attributes("href") ?? "", "http://127.0.0.1");
    expect(href.pathname).toBe("/login");
    expect(href.searchParams.get("redirect")).toBe("/certificate-check?number=HNJY2026000123");
    expect(wrapper.find('[data-testid="header-user"]').exists()).toBe(false);
  });

  it("links 登录 without a redirect on the home page", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null);
    const { wrapper } = await mountApp("/", server.fetch);

    expect(wrapper.get('[data-testid="header-login"]').attributes("href")).toBe("/login");
  });

  it("shows the signed-in user's name and organisation", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER);
    const { wrapper } = await mountApp("/", server.fetch);

    expect(wrapper.get('[data-testid="header-user-name"]').text()).toBe("张三");
    expect(wrapper.get('[data-testid="header-user-organisation"]').text()).toBe("郑州示例燃气有限公司");
    expect(wrapper.get('[data-testid="header-user"]').attributes("href")).toBe("/profile");
    expect(wrapper.get('[data-testid="header-logout"]').text()).toBe("退出");
    expect(wrapper.find('[data-testid="header-login"]').exists()).toBe(false);
  });

  it("signs out with 退出", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER);
    const { wrapper, router, session } = await mountApp("/certificate-check", server.fetch);

    await wrapper.get('[data-testid="header-logout"]').trigger("click");
    await flushPromises();

    // The home page then sends its own query.
    expect(operationNames(server.requests).slice(0, 2)).toEqual(["Me", "Logout"]);
    await vi.waitFor(() => {
      expect(router.currentRoute.value.path).toBe("/");
    }, ROUTE_TIMEOUT);
    expect(session.state.me).toBeNull();
    expect(wrapper.get('[data-testid="header-login"]').text()).toBe("登录");
  });

  it("keeps the user signed in when 退出 fails", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      Logout: () => ({ data: null, errors: [{ message: "Internal error" }] }),
    });
    const { wrapper, router, session } = await mountApp("/certificate-check", server.fetch);

    await wrapper.get('[data-testid="header-logout"]').trigger("click");
    await flushPromises();

    expect(router.currentRoute.value.path).toBe("/certificate-check");
    expect(session.state.me?.displayName).toBe("张三");
    await vi.waitFor(() => {
      expect(document.body.textContent).toContain("退出登录失败，请稍后重试");
    });
  });
});

describe("ProfileView", () => {
  it("shows the account and signs out", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER);
    const { wrapper, router, session } = await mountApp("/profile", server.fetch);

    expect(wrapper.get('[data-testid="profile-display-name"]').text()).toBe("张三");
    expect(wrapper.get('[data-testid="profile-username"]').text()).toBe("zhangsan");
    expect(wrapper.get('[data-testid="profile-organisation"]').text()).toBe("郑州示例燃气有限公司");
    expect(wrapper.get('[data-testid="profile-change-password"]').attributes("href")).toBe("/change-password");

    await wrapper.get('[data-testid="profile-logout"]').trigger("click");
    await flushPromises();

    // The profile's security section loads its settings, and the home page then sends its own query.
    expect(operationNames(server.requests).slice(0, 3)).toEqual(["Me", "AccountSecurity", "Logout"]);
    await vi.waitFor(() => {
      expect(router.currentRoute.value.path).toBe("/");
    }, ROUTE_TIMEOUT);
    expect(session.state.me).toBeNull();
  });
});
