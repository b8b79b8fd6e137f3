import { afterEach, describe, expect, it, vi } from "vitest";

import { emptyLedgerQuery, formatSize, ledgerFilter } from "@/views/enterprise/files";

import { accessGranting, createAccountServer, fieldErrorText, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

const ROW = {
  __typename: "Instrument",
  id: "11",
  name: "电子计价秤",
  kind: "电子计价秤",
  model: "ACS-15",
  serialNumber: "JS2026000001",
  manufacturer: "上海示例衡器有限公司",
  installationPlace: "一楼生鲜区",
  status: "IN_USE",
  statusLabel: "在用",
  usageLabel: "贸易结算",
  deliveryModeLabel: "送检",
  isMandatory: true,
  flagged: true,
  certificateProblemLabel: "无检定证书",
  serviceLifeEnd: null,
  catalogueItem: { __typename: "CatalogueItemChoice", id: "9", number: 9, itemName: "非自动衡器" },
  division: { __typename: "DivisionChoice", code: "410105", name: "金水区" },
  enterprise: { __typename: "OrganisationRef", id: "3", name: "郑州示例超市有限公司" },
};

const LEDGER_PERMISSIONS = ["instruments.view", "instruments.manage", "instruments.export"];

function page(items: unknown[]) {
  return {
    data: {
      instruments: { __typename: "InstrumentPage", totalCount: items.length, totalCapped: false, page: 1, pageSize: 20, items },
    },
  };
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("ledger filter", () => {
  it("leaves out empty query fields", () => {
    expect(ledgerFilter(emptyLedgerQuery())).toEqual({});
  });

  it("combines the chosen conditions", () => {
    const form = { ...emptyLedgerQuery(), search: " 秤 ", status: "IN_USE", mandatory: "no", flagged: true };
    expect(ledgerFilter(form)).toEqual({ search: "秤", status: "IN_USE", mandatory: false, flagged: true });
  });

  it("formats sizes", () => {
    expect(formatSize(2048)).toBe("2 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("ledger screen", () => {
  it("marks flagged rows and offers row actions", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(LEDGER_PERMISSIONS),
      LedgerInstruments: () => page([ROW]),
    });
    const { wrapper } = await mountApp("/workbench/ledger", server.fetch);

    await vi.waitFor(() => {
      expect(wrapper.find('[data-testid="ledger-flag-JS2026000001"]').exists()).toBe(true);
    }, ROUTE_TIMEOUT);
    expect(wrapper.find(".ledger-row--flagged").exists()).toBe(true);
    expect(wrapper.find('[data-testid="ledger-disable-JS2026000001"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="ledger-enable-JS2026000001"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="ledger-file"]').exists()).toBe(true);
  });

  it("sends the query form as the filter", async () => {
    setCookie("csrftoken", "TOKEN");
    const filters: unknown[] = [];
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["instruments.view"]),
      LedgerInstruments: (variables) => {
        filters.push(variables.filter);
        return page([]);
      },
    });
    const { wrapper } = await mountApp("/workbench/ledger", server.fetch);
    await vi.waitFor(() => expect(filters.length).toBe(1), ROUTE_TIMEOUT);
    expect(wrapper.find('[data-testid="ledger-file"]').exists()).toBe(false);

    await wrapper.get('input[data-testid="ledger-search"]').setValue("压力表");
    await wrapper.get("form.query-form").trigger("submit");

    await vi.waitFor(() => expect(filters.length).toBe(2), ROUTE_TIMEOUT);
    expect(filters[1]).toEqual({ search: "压力表" });
  });
});

describe("filing form", () => {
  it("shows the server's Chinese message under the field", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(LEDGER_PERMISSIONS),
      LedgerDivisions: () => ({ data: { divisions: [] } }),
      LedgerCatalogueItems: () => ({ data: { catalogueItems: [] } }),
      LedgerFileInstrument: () => ({
        data: {
          fileInstrument: {
            __typename: "FileInstrumentPayload",
            errors: [
              {
                __typename: "FieldError",
                field: "serialNumber",
                message: "本单位台账中已有该出厂编号的计量器具，不能重复备案。",
                code: "duplicate_serial",
              },
            ],
            instrument: null,
          },
        },
      }),
    });
    const { wrapper } = await mountApp("/workbench/ledger/new", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="form-name"]').exists()).toBe(true), ROUTE_TIMEOUT);

    await wrapper.get('[data-testid="form-mandatory"]').trigger("click");
    await wrapper.get('input[data-testid="form-name"]').setValue("压力表");
    await wrapper.get('input[data-testid="form-serial-number"]').setValue("P-1");
    await wrapper.get('[data-testid="form-submit"]').trigger("submit");

    await vi.waitFor(() => {
      expect(fieldErrorText(document.body, "form-serial-number")).toContain("不能重复备案");
    }, ROUTE_TIMEOUT);
  });

  it("requires the name before sending", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(LEDGER_PERMISSIONS),
      LedgerDivisions: () => ({ data: { divisions: [] } }),
      LedgerCatalogueItems: () => ({ data: { catalogueItems: [] } }),
    });
    const { wrapper } = await mountApp("/workbench/ledger/new", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="form-name"]').exists()).toBe(true), ROUTE_TIMEOUT);

    await wrapper.get("form.instrument-form__form").trigger("submit");

    await vi.waitFor(() => {
      expect(fieldErrorText(document.body, "form-name")).toBe("请填写器具名称");
    }, ROUTE_TIMEOUT);
  });
});

describe("import screen", () => {
  it("lists errors by row and cell", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(LEDGER_PERMISSIONS),
      LedgerImportInstruments: () => ({
        data: {
          importInstruments: {
            __typename: "ImportInstrumentsPayload",
            createdCount: 0,
            errors: [
              {
                __typename: "InstrumentImportError",
                row: 3,
                column: "B",
                header: "强制检定目录序号",
                value: "999",
                message: "强制检定目录中没有序号 999，请对照“强制检定目录”表填写。",
                code: "unknown_catalogue_number",
              },
            ],
          },
        },
      }),
    });
    const { wrapper } = await mountApp("/workbench/ledger/import", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="import-file"]').exists()).toBe(true), ROUTE_TIMEOUT);

    const input = wrapper.get('[data-testid="import-file"]').element as HTMLInputElement;
    const file = new File([new Uint8Array([80, 75, 3, 4])], "台账.xlsx");
    Object.defineProperty(input, "files", { value: [file] });
    await wrapper.get('[data-testid="import-file"]').trigger("change");

    await vi.waitFor(() => expect(wrapper.find('[data-testid="import-failed"]').exists()).toBe(true), ROUTE_TIMEOUT);
    const table = wrapper.get('[data-testid="import-errors"]').text();
    expect(table).toContain("强制检定目录序号");
    expect(table).toContain("没有序号 999");
  });
});
