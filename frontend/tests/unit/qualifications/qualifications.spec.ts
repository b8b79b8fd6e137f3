import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { accessGranting, createAccountServer, operationNames, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

function capability(id: string, institution: string) {
  return {
    __typename: "Capability",
    id,
    institutionId: "7",
    institutionName: institution,
    divisionName: "金水区",
    authorisationNumber: "（豫）法计（2026）01001号",
    validUntil: "2030-12-31",
    instrumentName: "电子计价秤",
    catalogueItem: { __typename: "CatalogueItemOption", id: "9", number: 9, itemName: "非自动衡器" },
    regulation: { __typename: "RegulationOption", id: "1", code: "JJG 539-2016", name: "数字指示秤" },
    measuringRange: "(0～30) kg",
    accuracy: "Ⅲ级",
  };
}

function capabilityPage(items: ReturnType<typeof capability>[]) {
  return {
    data: { capabilities: { __typename: "CapabilityPage", totalCount: items.length, page: 1, pageSize: 20, items } },
  };
}

describe("public capability look-up", () => {
  it("lists capabilities, sends the combined filters and narrows to one institution", async () => {
    const sent: Record<string, unknown>[] = [];
    const server = createAccountServer(null, {
      Capabilities: (variables) => {
        sent.push(variables);
        return capabilityPage([capability("1", "河南省计量测试科学研究院")]);
      },
    });
    const { wrapper } = await mountApp("/capabilities", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="capabilities-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();
    expect(wrapper.text()).toContain("河南省计量测试科学研究院");
    expect(wrapper.text()).toContain("JJG 539-2016 数字指示秤");

    await wrapper.get('input[data-testid="capabilities-keyword"]').setValue("计价秤 郑州");
    await wrapper.get('input[data-testid="capabilities-division"]').setValue("410100");
    await wrapper.get('[data-testid="capabilities-query"]').trigger("submit");
    await flushPromises();
    const filter = sent.at(-1)?.filter as Record<string, unknown>;
    expect(filter.keyword).toBe("计价秤 郑州");
    expect(filter.divisionCode).toBe("410100");
    expect(filter.institutionId).toBeNull();

    await wrapper.get('.el-table__body [data-testid="capability-institution"]').trigger("click");
    await flushPromises();
    expect((sent.at(-1)?.filter as Record<string, unknown>).institutionId).toBe("7");
    expect(wrapper.get('[data-testid="capabilities-institution"]').text()).toContain("河南省计量测试科学研究院");
  }, 20000);

  it("shows the server's message when the look-up is refused", async () => {
    const server = createAccountServer(null, {
      Capabilities: () => ({ data: null, errors: [{ message: "查询过于频繁，请稍后再试。", extensions: { code: "RATE_LIMITED" } }] }),
    });
    const { wrapper } = await mountApp("/capabilities", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="capabilities-error"]').exists()).toBe(true), ROUTE_TIMEOUT);
    expect(wrapper.get('[data-testid="capabilities-error"]').text()).toContain("查询过于频繁");
  });
});

function feePage() {
  return {
    data: {
      feeStandards: {
        __typename: "FeeStandardPage",
        totalCount: 1,
        page: 1,
        pageSize: 20,
        items: [
          {
            __typename: "FeeStandard",
            id: "3",
            itemName: "电子计价秤检定",
            catalogueItem: null,
            unit: "台（件）",
            price: "30.00",
            basis: "豫发改收费〔2020〕1 号",
            note: "",
            validFrom: null,
            isActive: true,
          },
        ],
      },
    },
  };
}

describe("institution record screens", () => {
  it("saves a fee standard and shows the server's field message under the field", async () => {
    setCookie("csrftoken", "TOKEN");
    const saved: unknown[] = [];
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["qualifications.view", "qualifications.manage"], ["机构管理员"], "institution"),
      FeeStandards: () => feePage(),
      SaveFeeStandard: (variables) => {
        saved.push(variables.input);
        return {
          data: {
            saveFeeStandard: {
              __typename: "SaveFeeStandardPayload",
              feeStandard: null,
              errors: [
                {
                  __typename: "FieldError",
                  field: "price",
                  message: "单价应为不小于 0 的金额（元），最多两位小数，如 30 或 30.50。",
                  code: "INVALID",
                },
              ],
            },
          },
        };
      },
    });
    const { wrapper } = await mountApp("/workbench/fee-standards", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="fee-standards-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();
    expect(wrapper.text()).toContain("电子计价秤检定");

    await wrapper.get('.el-table__body [data-testid="fee-standards-edit"]').trigger("click");
    await flushPromises();
    const price = document.querySelector('input[data-testid="fee-standards-field-price"]') as HTMLInputElement;
    price.value = "-1";
    price.dispatchEvent(new Event("input"));
    (document.querySelector('[data-testid="fee-standards-save"]') as HTMLElement).click();
    await flushPromises();

    expect(operationNames(server.requests)).toContain("SaveFeeStandard");
    expect(saved.at(-1)).toMatchObject({ id: "3", price: "-1", itemName: "电子计价秤检定", isActive: true });
    const item = document.querySelector('input[data-testid="fee-standards-field-price"]')?.closest(".el-form-item");
    await vi.waitFor(() =>
      expect(item?.querySelector(".el-form-item__error")?.textContent ?? "").toContain("单价应为不小于 0"),
    );
  }, 20000);

  it("hides the add and edit buttons from users who may only view", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["qualifications.view"], ["检定员"], "institution"),
      FeeStandards: () => feePage(),
    });
    const { wrapper } = await mountApp("/workbench/fee-standards", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="fee-standards-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();
    expect(wrapper.find('[data-testid="fee-standards-add"]').exists()).toBe(false);
    expect(wrapper.find('.el-table__body [data-testid="fee-standards-edit"]').exists()).toBe(false);
    expect(wrapper.text()).toContain("电子计价秤检定");
  }, 20000);
});
