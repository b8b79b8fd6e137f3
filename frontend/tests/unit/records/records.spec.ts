import { afterEach, describe, expect, it, vi } from "vitest";

import { todayIso } from "@/views/records/today";

import { accessGranting, createAccountServer, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

const SAMPLE = {
  __typename: "VerificationSample",
  id: "3",
  sampleNumber: "YP-0001",
  applicationNumber: "SQ20261204000007",
  enterpriseName: "郑州示例燃气有限公司",
  instrumentName: "电子计价秤",
  model: "ACS-15",
  serialNumber: "SN001",
  catalogueItemName: "非自动衡器",
  template: {
    __typename: "RecordTemplate",
    id: "1",
    name: "数字指示秤检定原始记录",
    regulation: "JJG 539-2016 数字指示秤",
    fields: [
      { __typename: "RecordTemplateField", key: "temperature", label: "温度", unit: "℃", section: "environment", itemName: "", valueType: "number", required: true },
      { __typename: "RecordTemplateField", key: "indication_error", label: "最大示值误差", unit: "", section: "item", itemName: "示值误差", valueType: "number", required: true },
    ],
  },
  standards: [{ __typename: "RecordStandardOption", id: "5", name: "电子天平检定装置", certificateNumber: "001", validUntil: "2027-12-01" }],
};

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("verification records", () => {
  it("builds the entry form from the template", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["records.enter"], ["检定员"], "institution"),
      VerificationSample: () => ({ data: { verificationSample: SAMPLE } }),
    });
    const { wrapper } = await mountApp("/workbench/records/entry/3", server.fetch);

    await vi.waitFor(() => {
      expect(wrapper.find('[data-testid="record-field-temperature"]').exists()).toBe(true);
    }, ROUTE_TIMEOUT);
    expect(wrapper.find('[data-testid="record-field-indication_error"]').exists()).toBe(true);
    expect(wrapper.text()).toContain("温度（℃）");
    expect(wrapper.text()).toContain("示值误差");
  });

  it("refuses to send a record with a missing required value", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["records.enter"], ["检定员"], "institution"),
      VerificationSample: () => ({ data: { verificationSample: SAMPLE } }),
    });
    const { wrapper } = await mountApp("/workbench/records/entry/3", server.fetch);
    await vi.waitFor(() => {
      expect(wrapper.find('[data-testid="record-save"]').exists()).toBe(true);
    }, ROUTE_TIMEOUT);

    await wrapper.get('[data-testid="record-save"]').trigger("click");

    await vi.waitFor(() => expect(wrapper.text()).toContain("请填写温度"));
    expect(server.requests.some((request) => request.body?.operationName === "EnterVerificationRecord")).toBe(false);
  });

  it("formats today as an ISO date", () => {
    expect(todayIso(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});
