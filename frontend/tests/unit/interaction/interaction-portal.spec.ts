import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createFakeGraphQLFetch, mountRoute, type RecordedRequest, ROUTE_TIMEOUT } from "../helpers";

const SCRIPT_BODY = '<script>alert("x")</script> 电子秤称重不准';

function respond(request: RecordedRequest) {
  switch (request.body?.operationName) {
    case "Captcha":
      return { data: { captcha: { __typename: "Captcha", id: "captcha-1", image: "data:image/png;base64,AAAA" } } };
    case "InteractionLookup":
      return {
        data: {
          myInteractionLookup: {
            __typename: "PublicInteraction",
            number: "ZX20261204000001",
            kindLabel: "业务咨询",
            title: "电子秤检定",
            body: SCRIPT_BODY,
            statusLabel: "已答复",
            status: "REPLIED",
            divisionName: "金水区",
            handlingOrganisationName: "郑州市市场监督管理局",
            contactNameMasked: "王**",
            contactPhoneMasked: "138****5678",
            reply: "需要检定。",
            repliedAt: "2026-12-04T10:00:00+08:00",
            createdAt: "2026-12-04T09:00:00+08:00",
            steps: [
              {
                __typename: "InteractionStep",
                action: "submit",
                actionLabel: "提交",
                organisationName: "",
                targetOrganisationName: "郑州市市场监督管理局",
                comment: "",
                createdAt: "2026-12-04T09:00:00+08:00",
              },
            ],
          },
        },
      };
    default:
      return { data: null };
  }
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("InteractionPortalView", () => {
  it("loads a captcha for anonymous visitors", async () => {
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/interaction", server.fetch);

    await vi.waitFor(() => expect(wrapper.find('[data-testid="captcha-image"]').exists()).toBe(true), ROUTE_TIMEOUT);
    expect(server.requests.map((request) => request.body?.operationName)).toContain("Captcha");
  });

  it("shows a looked-up body as text, never as markup", async () => {
    const server = createFakeGraphQLFetch(respond);
    const { wrapper } = await mountRoute("/interaction", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('input[data-testid="lookup-number"]').exists()).toBe(true), ROUTE_TIMEOUT);

    await wrapper.get('input[data-testid="lookup-number"]').setValue("ZX20261204000001");
    await wrapper.get('input[data-testid="lookup-query-code"]').setValue("ABCD2345");
    await wrapper.get('[data-testid="lookup-submit"]').trigger("click");
    await flushPromises();

    const body = wrapper.get('[data-testid="lookup-body"]');
    expect(body.text()).toBe(SCRIPT_BODY);
    expect(body.element.querySelector("script")).toBeNull();
    expect(wrapper.get('[data-testid="lookup-reply"]').text()).toBe("需要检定。");
  });
});
