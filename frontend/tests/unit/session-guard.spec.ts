import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";

import { createGraphQLClient } from "@/graphql/client";
import { routes } from "@/router";
import { installSessionGuard } from "@/session/guard";
import { createSession, type SessionUser } from "@/session/store";

import { createAccountServer, NEW_USER, operationNames, USER } from "./accounts";
import { clearCookie, setCookie } from "./helpers";

/** Creates the router with the session guard, for a server whose Me query returns `me`. */
function createGuardedRouter(me: SessionUser | null) {
  const server = createAccountServer(me);
  const session = createSession(createGraphQLClient(server.fetch));
  const router = createRouter({ history: createMemoryHistory(), routes });
  installSessionGuard(router, session);
  return { router, server, session };
}

afterEach(() => {
  clearCookie("csrftoken");
});

describe("session guard", () => {
  it("sends anonymous visitors of signed-in pages to /login", async () => {
    setCookie("csrftoken", "TOKEN");
    const { router } = createGuardedRouter(null);

    await router.push("/profile");
    expect(router.currentRoute.value.path).toBe("/login");
    expect(router.currentRoute.value.query.redirect).toBe("/profile");

    await router.push("/change-password");
    expect(router.currentRoute.value.path).toBe("/login");
    expect(router.currentRoute.value.query.redirect).toBe("/change-password");
  });

  it("lets anonymous visitors open public pages", async () => {
    setCookie("csrftoken", "TOKEN");
    const { router } = createGuardedRouter(null);

    for (const path of ["/", "/certificate-check", "/articles/12", "/login"]) {
      await router.push(path);
      expect(router.currentRoute.value.path).toBe(path);
    }
  });

  it.each(["/profile", "/no-such-page"])("sends a must-change user from %s to /change-password", async (path) => {
    setCookie("csrftoken", "TOKEN");
    const { router } = createGuardedRouter(NEW_USER);

    await router.push(path);

    expect(router.currentRoute.value.path).toBe("/change-password");
  });

  it.each(["/", "/articles/12", "/certificate-check", "/login", "/change-password"])(
    "lets a must-change user open %s",
    async (path) => {
      setCookie("csrftoken", "TOKEN");
      const { router } = createGuardedRouter(NEW_USER);

      await router.push(path);

      expect(router.currentRoute.value.path).toBe(path);
    },
  );

  it("lets a signed-in user open the profile", async () => {
    setCookie("csrftoken", "TOKEN");
    const { router } = createGuardedRouter(USER);

    await router.push("/profile");

    expect(router.currentRoute.value.path).toBe("/profile");
  });

  it("sends the Me query once for many navigations", async () => {
    setCookie("csrftoken", "TOKEN");
    const { router, server, session } = createGuardedRouter(USER);

    await router.push("/");
    await router.push("/profile");
    await router.push("/certificate-check");

    expect(operationNames(server.requests)).toEqual(["Me"]);
    expect(session.state.me?.displayName).toBe("张三");
  });

  it("follows the store after the password is changed", async () => {
    setCookie("csrftoken", "TOKEN");
    const { router, session } = createGuardedRouter(NEW_USER);
    await router.push("/profile");
    expect(router.currentRoute.value.path).toBe("/change-password");

    session.setUser({ ...NEW_USER, mustChangePassword: false });
    await router.push("/profile");

    expect(router.currentRoute.value.path).toBe("/profile");
  });

  it("treats a failed Me query as anonymous", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(null, { Me: () => ({ data: null, errors: [{ message: "Internal error" }] }) });
    const session = createSession(createGraphQLClient(server.fetch));
    const router = createRouter({ history: createMemoryHistory(), routes });
    installSessionGuard(router, session);
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);

    await router.push("/profile");
    consoleError.mockRestore();

    expect(router.currentRoute.value.path).toBe("/login");
    expect(session.state.me).toBeNull();
    expect(session.state.loaded).toBe(true);
  });
});
