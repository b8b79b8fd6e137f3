import { install as installUrql } from "@urql/vue";
import { flushPromises, mount } from "@vue/test-utils";
import { afterEach, describe, expect, it } from "vitest";

import SavedQueries from "@/components/SavedQueries.vue";
import { createGraphQLClient } from "@/graphql/client";
import { createPortalI18n } from "@/i18n";

import { createFakeGraphQLFetch, type RecordedRequest } from "../helpers";

function respond(request: RecordedRequest) {
  if (request.body?.operationName === "SavedQueries") {
    return {
      data: {
        savedQueries: [
          { id: "1", name: "金水区", conditions: JSON.stringify({ divisionCode: "410105" }), isDefault: true },
          { id: "2", name: "停用", conditions: JSON.stringify({ isActive: "false" }), isDefault: false },
        ],
      },
    };
  }
  if (request.body?.operationName === "SaveQuery") {
    return { data: { saveQuery: { errors: [], savedQuery: { id: "3", name: "新条件", conditions: "{}", isDefault: false } } } };
  }
  return { data: {} };
}

function mountControl(conditions: Record<string, unknown> = { keyword: "超市" }, applyDefault = true) {
  const fake = createFakeGraphQLFetch(respond);
  const wrapper = mount(SavedQueries, {
    props: { screen: "organisations.list", conditions, applyDefault },
    attachTo: document.body,
    global: { plugins: [createPortalI18n(), [installUrql, createGraphQLClient(fake.fetch)]] },
  });
  return { wrapper, requests: fake.requests };
}

function operation(requests: RecordedRequest[], name: string) {
  return requests.find((request) => request.body?.operationName === name);
}

afterEach(() => {
  // Dialogs are teleported to the body and outlive the unmounted component.
  document.body.innerHTML = "";
});

describe("SavedQueries", () => {
  it("applies the default conditions on mount", async () => {
    const { wrapper, requests } = mountControl();
    await flushPromises();

    expect(operation(requests, "SavedQueries")?.body?.variables).toEqual({ screen: "organisations.list" });
    expect(wrapper.emitted("apply")).toEqual([[{ divisionCode: "410105" }]]);
    wrapper.unmount();
  });

  it("saves the current conditions as JSON text", async () => {
    const { wrapper, requests } = mountControl({ keyword: "超市", kind: "ENTERPRISE" });
    await flushPromises();

    await wrapper.get("[data-testid=saved-queries-save]").trigger("click");
    await flushPromises();
    const name = document.querySelector<HTMLInputElement>("input[data-testid=saved-queries-name]");
    expect(name).not.toBeNull();
    name!.value = "新条件";
    name!.dispatchEvent(new Event("input"));
    document.querySelector<HTMLButtonElement>("[data-testid=saved-queries-confirm]")!.click();
    await flushPromises();

    const save = operation(requests, "SaveQuery");
    expect(save?.body?.variables).toMatchObject({ screen: "organisations.list", name: "新条件" });
    expect(JSON.parse(String(save?.body?.variables?.conditions))).toEqual({ keyword: "超市", kind: "ENTERPRISE" });
    wrapper.unmount();
  });

  it("asks for a name before saving", async () => {
    const { wrapper, requests } = mountControl({ keyword: "超市" }, false);
    await flushPromises();

    await wrapper.get("[data-testid=saved-queries-save]").trigger("click");
    await flushPromises();
    document.querySelector<HTMLButtonElement>("[data-testid=saved-queries-confirm]")!.click();
    await flushPromises();

    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(operation(requests, "SaveQuery")).toBeUndefined();
    expect(document.querySelector("input[data-testid=saved-queries-name]")).not.toBeNull();
    expect(document.body.textContent).toContain("请填写名称");
    wrapper.unmount();
  });
});
