import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createAccountServer, fieldErrorText, NEW_USER, operationNames } from "./accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "./helpers";

interface PasswordInput {
  oldPassword: string;
  newPassword: string;
  confirmPassword: string;
}

async function changePassword(wrapper: VueWrapper, input: PasswordInput) {
  await wrapper.get('input[data-testid="old-password"]').setValue(input.oldPassword);
  await wrapper.get('input[data-testid="new-password"]').setValue(input.newPassword);
  await wrapper.get('input[data-testid="confirm-password"]').setValue(input.confirmPassword);
  await wrapper.get(".change-password form").trigger("submit");
  await flushPromises();
}

function payload(errors: { field: string | null; message: string; code: string }[], user: unknown = null) {
  return {
    data: {
      changePassword: {
        __typename: "ChangePasswordPayload",
        errors: errors.map((error) => ({ __typename: "FieldError", ...error })),
        user,
      },
    },
  };
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("ChangePasswordView", () => {
  it("shows the notice and the policy to a must-change user", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(NEW_USER);
    const { wrapper } = await mountApp("/change-password", server.fetch);

    expect(wrapper.get('[data-testid="must-change-notice"]').text()).toContain("首次登录或密码重置后须修改密码");
    expect(wrapper.get('[data-testid="password-policy"]').text()).toBe(
      "至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类，不能包含用户名，不能与最近 5 次密码相同",
    );
  });

  it("hides the notice from a user who may keep the password", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer({ ...NEW_USER, mustChangePassword: false });
    const { wrapper } = await mountApp("/change-password", server.fetch);

    expect(wrapper.find('[data-testid="must-change-notice"]').exists()).toBe(false);
  });

  it("rejects a mismatched confirmation before sending", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(NEW_USER);
    const { wrapper } = await mountApp("/change-password", server.fetch);

    await changePassword(wrapper, {
      oldPassword: "Initial-Pass-01",
      newPassword: "Jinshui-Scale-2026",
      confirmPassword: "Jinshui-Scale-2025",
    });

    expect(operationNames(server.requests)).toEqual(["Me"]);
    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper.element, "confirm-password")).toBe("两次输入的新密码不一致");
    });
  });

  it("names the empty fields before sending", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(NEW_USER);
    const { wrapper } = await mountApp("/change-password", server.fetch);

    await changePassword(wrapper, { oldPassword: "", newPassword: "", confirmPassword: "" });

    expect(operationNames(server.requests)).toEqual(["Me"]);
    // Element Plus validates the fields one after the other; wait for all three.
    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper.element, "old-password")).toBe("请输入当前密码");
      expect(fieldErrorText(wrapper.element, "new-password")).toBe("请输入新密码");
      expect(fieldErrorText(wrapper.element, "confirm-password")).toBe("请再次输入新密码");
    });
  });

  it("shows each server field error under its field", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(NEW_USER, {
      ChangePassword: () =>
        payload([
          { field: "oldPassword", message: "当前密码不正确，请重新输入。", code: "invalid_password" },
          { field: "newPassword", message: "密码至少需要 8 个字符。", code: "password_too_short" },
          {
            field: "newPassword",
            message: "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。",
            code: "password_too_simple",
          },
        ]),
    });
    const { wrapper, router } = await mountApp("/change-password", server.fetch);

    await changePassword(wrapper, { oldPassword: "wrong", newPassword: "short", confirmPassword: "short" });

    const request = server.requests.find((recorded) => recorded.body?.operationName === "ChangePassword");
    expect(request?.body?.variables).toEqual({ oldPassword: "wrong", newPassword: "short" });
    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper.element, "old-password")).toBe("当前密码不正确，请重新输入。");
    });
    expect(fieldErrorText(wrapper.element, "new-password")).toBe(
      "密码至少需要 8 个字符。 密码须包含大写字母、小写字母、数字、符号中的至少 3 类。",
    );
    expect(fieldErrorText(wrapper.element, "confirm-password")).toBeNull();
    expect(router.currentRoute.value.path).toBe("/change-password");
  });

  it("shows an error without a field above the form", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(NEW_USER, {
      ChangePassword: () => ({
        data: { changePassword: null },
        errors: [
          { message: "尚未登录或登录已过期，请重新登录。", path: ["changePassword"], extensions: { code: "UNAUTHENTICATED" } },
        ],
      }),
    });
    const { wrapper, session } = await mountApp("/change-password", server.fetch);

    await changePassword(wrapper, {
      oldPassword: "Initial-Pass-01",
      newPassword: "Jinshui-Scale-2026",
      confirmPassword: "Jinshui-Scale-2026",
    });

    const failure = wrapper.get('[data-testid="change-password-error"]');
    expect(failure.attributes("data-code")).toBe("UNAUTHENTICATED");
    expect(failure.text()).toBe("尚未登录或登录已过期，请重新登录。");
    expect(session.state.me).toBeNull();
    expect(wrapper.find('[data-testid="header-login"]').exists()).toBe(true);
  });

  it("confirms the change and goes home", async () => {
    setCookie("csrftoken", "TOKEN");
    const changedUser = { __typename: "BusinessUser", ...NEW_USER, mustChangePassword: false };
    const server = createAccountServer(NEW_USER, { ChangePassword: () => payload([], changedUser) });
    const { wrapper, router, session } = await mountApp("/change-password", server.fetch);

    await changePassword(wrapper, {
      oldPassword: "Initial-Pass-01",
      newPassword: "Jinshui-Scale-2026",
      confirmPassword: "Jinshui-Scale-2026",
    });

    await vi.waitFor(() => {
      expect(router.currentRoute.value.path).toBe("/");
    }, ROUTE_TIMEOUT);
    expect(session.state.me?.mustChangePassword).toBe(false);
    expect(document.body.querySelector(".change-password-success")?.textContent).toContain("密码已修改");

    await router.push("/profile");
    expect(router.currentRoute.value.path).toBe("/profile");
  });
});
