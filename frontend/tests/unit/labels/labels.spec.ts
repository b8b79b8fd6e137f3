import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { accessGranting, createAccountServer, USER } from "../accounts";
import { clearCookie, mountApp, mountRoute, ROUTE_TIMEOUT, setCookie } from "../helpers";

afterEach(() => {
  clearCookie("csrftoken");
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

const INSTRUMENTS = {
  data: {
    labelInstruments: {
      __typename: "LabelInstrumentPage",
      totalCount: 2,
      page: 1,
      pageSize: 20,
      items: [
        { __typename: "LabelInstrument", id: "11", name: "电子计价秤", model: "ACS-15", serialNumber: "SN001", statusLabel: "在用", isMandatory: true },
        { __typename: "LabelInstrument", id: "12", name: "燃气表", model: "G2.5", serialNumber: "SN002", statusLabel: "在用", isMandatory: false },
      ],
    },
    labelSizes: [
      { __typename: "LabelSizeOption", size: "SMALL", label: "40×30 毫米", perSheet: 32 },
      { __typename: "LabelSizeOption", size: "MEDIUM", label: "50×30 毫米", perSheet: 24 },
      { __typename: "LabelSizeOption", size: "LARGE", label: "70×50 毫米", perSheet: 10 },
    ],
  },
};

describe("label printing", () => {
  it("prints every filtered instrument in the chosen size", async () => {
    setCookie("csrftoken", "TOKEN");
    const printed: Record<string, unknown>[] = [];
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["instruments.print_labels"]),
      LabelInstruments: () => INSTRUMENTS,
      PrintInstrumentLabels: (variables) => {
        printed.push(variables);
        return {
          data: {
            printInstrumentLabels: {
              __typename: "PrintInstrumentLabelsPayload",
              labelCount: 2,
              fileName: "器具标签-70x50.pdf",
              contentBase64: btoa("%PDF-1.7"),
              errors: [],
            },
          },
        };
      },
    });
    const createObjectURL = vi.fn(() => "blob:labels");
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const { wrapper } = await mountApp("/workbench/labels", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="labels-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();

    expect(wrapper.get('[data-testid="labels-print-filtered"]').text()).toContain("2");
    await wrapper.get('[data-testid="labels-print-filtered"]').trigger("click");
    await flushPromises();
    const large = document.querySelector('[data-testid="label-size-LARGE"] input') as HTMLInputElement;
    large.click();
    await flushPromises();
    (document.querySelector('[data-testid="label-download"]') as HTMLButtonElement).click();
    await flushPromises();

    expect(printed).toEqual([{ size: "LARGE", filter: { text: "", mandatoryOnly: false } }]);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  }, 15_000);

  it("shows the server's reason when printing is refused", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["instruments.print_labels"]),
      LabelInstruments: () => INSTRUMENTS,
      PrintInstrumentLabels: () => ({
        data: {
          printInstrumentLabels: {
            __typename: "PrintInstrumentLabelsPayload",
            labelCount: 0,
            fileName: null,
            contentBase64: null,
            errors: [{ __typename: "FieldError", field: "filter", message: "一次最多打印 300 张标签", code: "TOO_MANY" }],
          },
        },
      }),
    });
    const { wrapper } = await mountApp("/workbench/labels", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="labels-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();

    await wrapper.get('[data-testid="labels-print-filtered"]').trigger("click");
    await flushPromises();
    (document.querySelector('[data-testid="label-download"]') as HTMLButtonElement).click();
    await flushPromises();

    expect(document.querySelector('[data-testid="label-print-error"]')?.textContent).toContain("最多打印 300 张");
  });
});

describe("public instrument status", () => {
  it("shows the latest certificate without personal data", async () => {
    const server = createAccountServer(null, {
      InstrumentStatus: (variables) => ({
        data: {
          instrumentStatus:
            variables.token === "abc"
              ? {
                  __typename: "InstrumentStatus",
                  name: "电子计价秤",
                  model: "ACS-15",
                  statusLabel: "在用",
                  isMandatory: true,
                  certificateValid: true,
                  certificate: {
                    __typename: "PublicCertificateSummary",
                    number: "HNJY2026000001",
                    kindLabel: "检定证书",
                    conclusion: "合格",
                    validUntil: "2027-03-09",
                    institutionName: "河南省计量测试科学研究院",
                    statusLabel: "有效",
                  },
                }
              : null,
        },
      }),
    });
    const { wrapper } = await mountRoute("/i/abc", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="instrument-status-name"]').exists()).toBe(true), ROUTE_TIMEOUT);

    expect(wrapper.get('[data-testid="instrument-status-verdict"]').text()).toContain("证书有效");
    expect(wrapper.get('[data-testid="instrument-status-certificate"]').text()).toContain("2027-03-09");
    expect(wrapper.text()).toContain("河南省计量测试科学研究院");
  });

  it("explains an unknown token", async () => {
    const server = createAccountServer(null, { InstrumentStatus: () => ({ data: { instrumentStatus: null } }) });
    const { wrapper } = await mountRoute("/i/unknown", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="instrument-status-error"]').exists()).toBe(true), ROUTE_TIMEOUT);

    expect(wrapper.text()).toContain("未找到该器具");
  });
});
