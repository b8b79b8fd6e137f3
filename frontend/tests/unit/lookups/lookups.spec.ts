import { afterEach, describe, expect, it, vi } from "vitest";

import { categoryFromRoute } from "@/views/lookups/categories";

import { createFakeGraphQLFetch, mountRoute, ROUTE_TIMEOUT } from "../helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("LookupView", () => {
  it("falls back to institutions for unknown categories", () => {
    expect(categoryFromRoute("experts")).toBe("experts");
    expect(categoryFromRoute("../admin")).toBe("institutions");
  });

  it("lists instrument users by name and division only", async () => {
    const server = createFakeGraphQLFetch(() => ({
      data: {
        lookupInstrumentUsers: {
          __typename: "LookupInstrumentUserPage",
          totalCount: 1,
          page: 1,
          pageSize: 20,
          items: [{ __typename: "LookupInstrumentUser", name: "郑州示例超市有限公司", divisionName: "金水区" }],
        },
      },
    }));
    const { wrapper } = await mountRoute("/lookups/users", server.fetch);

    await vi.waitFor(() => expect(wrapper.get('[data-testid="lookup-table"]').text()).toContain("郑州示例超市有限公司"), ROUTE_TIMEOUT);
    expect(server.requests.map((request) => request.body?.operationName)).toContain("LookupInstrumentUsers");
  });

  it("links certificate checks to the existing page", async () => {
    const server = createFakeGraphQLFetch(() => ({ data: null }));
    const { wrapper } = await mountRoute("/lookups/certificates", server.fetch);

    await vi.waitFor(() => expect(wrapper.find('[data-testid="lookup-certificates"]').exists()).toBe(true), ROUTE_TIMEOUT);
    expect(wrapper.get('[data-testid="lookup-certificates"] a').attributes("href")).toBe("/certificate-check");
    expect(server.requests.filter((request) => request.body?.operationName)).toHaveLength(0);
  });
});
