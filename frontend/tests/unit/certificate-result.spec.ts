import { describe, expect, it } from "vitest";

import CertificateResult from "@/components/CertificateResult.vue";
import type { CheckResult } from "@/utils/certificate";

import { CERTIFICATE, MESSAGES } from "./fixtures";
import { mountWithI18n } from "./helpers";

function mountResult(result: CheckResult) {
  return mountWithI18n(CertificateResult, { result });
}

function fieldText(wrapper: ReturnType<typeof mountResult>, name: string): string {
  return wrapper.get(`[data-testid="check-field-${name}"]`).text();
}

describe("CertificateResult", () => {
  it("shows AUTHENTIC as success with every field", () => {
    const wrapper = mountResult({
      status: "AUTHENTIC",
      message: MESSAGES.AUTHENTIC,
      errors: [],
      certificate: CERTIFICATE,
    });

    const container = wrapper.get('[data-testid="check-result"]');
    expect(container.attributes("data-status")).toBe("AUTHENTIC");
    expect(container.find(".el-alert--success").exists()).toBe(true);
    expect(container.text()).toContain("证书真实有效");
    expect(wrapper.get('[data-testid="check-message"]').text()).toBe(MESSAGES.AUTHENTIC);

    expect(fieldText(wrapper, "number")).toBe("HNJY2026000123");
    expect(fieldText(wrapper, "kindLabel")).toBe("检定证书");
    expect(fieldText(wrapper, "institutionName")).toBe("河南省计量测试科学研究院");
    expect(fieldText(wrapper, "clientName")).toBe("郑州示例燃气有限公司");
    expect(fieldText(wrapper, "instrumentName")).toBe("膜式燃气表");
    expect(fieldText(wrapper, "model")).toBe("G2.5");
    expect(fieldText(wrapper, "serialNumber")).toBe("SN-20260001");
    expect(fieldText(wrapper, "conclusion")).toBe("合格");
    expect(fieldText(wrapper, "verificationDate")).toBe("2026-03-15");
    expect(fieldText(wrapper, "validUntil")).toBe("2028-03-14");
    expect(fieldText(wrapper, "issuedAt")).toBe("2026-03-16 10:30");
    expect(fieldText(wrapper, "statusLabel")).toBe("有效");
    expect(wrapper.find('[data-testid="check-field-voidReason"]').exists()).toBe(false);
  });

  it("labels each field in Chinese", () => {
    const wrapper = mountResult({
      status: "AUTHENTIC",
      message: MESSAGES.AUTHENTIC,
      errors: [],
      certificate: CERTIFICATE,
    });

    const labels = wrapper.findAll(".el-descriptions__label").map((label) => label.text());
    expect(labels).toEqual([
      "证书编号",
      "证书类型",
      "检定机构",
      "委托单位",
      "器具名称",
      "型号规格",
      "出厂编号",
      "检定结论",
      "检定日期",
      "有效期至",
      "签发时间",
      "证书状态",
    ]);
  });

  it("shows a dash when validUntil is null", () => {
    const wrapper = mountResult({
      status: "AUTHENTIC",
      message: MESSAGES.AUTHENTIC,
      errors: [],
      certificate: { ...CERTIFICATE, kindLabel: "校准证书", validUntil: null },
    });

    expect(fieldText(wrapper, "validUntil")).toBe("—");
  });

  it("shows VOID as warning with the reason", () => {
    const wrapper = mountResult({
      status: "VOID",
      message: MESSAGES.VOID,
      errors: [],
      certificate: { ...CERTIFICATE, statusLabel: "已作废", voidReason: "委托单位信息填写错误，已重新出具" },
    });

    const container = wrapper.get('[data-testid="check-result"]');
    expect(container.attributes("data-status")).toBe("VOID");
    expect(container.find(".el-alert--warning").exists()).toBe(true);
    expect(container.text()).toContain("作废原因：");
    expect(fieldText(wrapper, "voidReason")).toBe("委托单位信息填写错误，已重新出具");
    expect(fieldText(wrapper, "statusLabel")).toBe("已作废");
  });

  it("names the reissued certificate of a void one", () => {
    const wrapper = mountResult({
      status: "VOID",
      message: MESSAGES.VOID,
      errors: [],
      certificate: { ...CERTIFICATE, statusLabel: "已作废", voidReason: "信息有误", reissuedAsNumber: "HNJY2026000124" },
    });

    expect(wrapper.text()).toContain("已重新签发，新证书编号：");
    expect(fieldText(wrapper, "reissuedAs")).toBe("HNJY2026000124");
  });

  it("shows a dash for VOID without a reason", () => {
    const wrapper = mountResult({
      status: "VOID",
      message: MESSAGES.VOID,
      errors: [],
      certificate: CERTIFICATE,
    });

    expect(fieldText(wrapper, "voidReason")).toBe("—");
  });

  it("shows ALTERED as error without fields", () => {
    const wrapper = mountResult({
      status: "ALTERED",
      message: MESSAGES.ALTERED,
      errors: [],
      // Even if a server sent fields, they no longer match the signature.
      certificate: CERTIFICATE,
    });

    const container = wrapper.get('[data-testid="check-result"]');
    expect(container.attributes("data-status")).toBe("ALTERED");
    expect(container.find(".el-alert--error").exists()).toBe(true);
    expect(wrapper.get('[data-testid="check-message"]').text()).toBe(MESSAGES.ALTERED);
    expect(wrapper.find('[data-testid="check-details"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="check-field-number"]').exists()).toBe(false);
  });

  it("shows NOT_FOUND as info", () => {
    const wrapper = mountResult({
      status: "NOT_FOUND",
      message: MESSAGES.NOT_FOUND,
      errors: [],
      certificate: null,
    });

    const container = wrapper.get('[data-testid="check-result"]');
    expect(container.attributes("data-status")).toBe("NOT_FOUND");
    expect(container.find(".el-alert--info").exists()).toBe(true);
    expect(wrapper.get('[data-testid="check-message"]').text()).toBe(MESSAGES.NOT_FOUND);
    expect(wrapper.find('[data-testid="check-details"]').exists()).toBe(false);
  });

  it("lists INVALID errors that name no form field", () => {
    const wrapper = mountResult({
      status: "INVALID",
      message: MESSAGES.INVALID,
      errors: [
        { field: "checkCode", message: "校验码为 8 位字母或数字，请按证书上印制的内容输入。", code: "invalid" },
        { field: null, message: "请求参数有误。", code: "invalid" },
      ],
      certificate: null,
    });

    const container = wrapper.get('[data-testid="check-result"]');
    expect(container.attributes("data-status")).toBe("INVALID");
    expect(container.find(".el-alert--error").exists()).toBe(true);
    expect(wrapper.get('[data-testid="check-message"]').text()).toBe(MESSAGES.INVALID);
    const listed = wrapper.findAll(".check-result__errors li").map((item) => item.text());
    expect(listed).toEqual(["请求参数有误。"]);
  });
});
