import { afterEach, describe, expect, it } from "vitest";

import { workbenchEntries } from "@/workbench/menu";

import { accessGranting, createAccountServer, USER } from "./accounts";
import { clearCookie, mountApp, setCookie } from "./helpers";

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("workbench", () => {
  it("sends anonymous visitors to the login page", async () => {
    setCookie("csrftoken", "TOKEN");
    const { router } = await mountApp("/workbench", createAccountServer(null).fetch);

    expect(router.currentRoute.value.path).toBe("/login");
    expect(router.currentRoute.value.query.redirect).toBe("/workbench");
  });

  it("greets the user and lists the roles", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, { MyAccess: accessGranting([], ["企业管理员", "企业计量员"]) });
    const { wrapper } = await mountApp("/workbench", server.fetch);

    expect(wrapper.get('[data-testid="workbench"]').text()).toContain("您好，张三");
    expect(wrapper.text()).toContain("企业计量员");
  });

  it("tells a user without roles whom to ask", async () => {
    setCookie("csrftoken", "TOKEN");
    const { wrapper } = await mountApp("/workbench", createAccountServer(USER).fetch);

    expect(wrapper.get('[data-testid="no-roles"]').text()).toContain("本单位管理员");
  });

  it("keeps users away from screens whose permission they lack", async () => {
    const guarded = workbenchEntries.find((entry) => entry.permission && !entry.path.includes(":"));
    if (!guarded) {
      return; // No permission-guarded screen is registered yet.
    }
    setCookie("csrftoken", "TOKEN");
    const { router } = await mountApp(`/workbench/${guarded.path}`, createAccountServer(USER).fetch);

    expect(router.currentRoute.value.path).toBe("/workbench");
  });
});
