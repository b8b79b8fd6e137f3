import { describe, expect, it } from "vitest";

import { createPortalI18n } from "@/i18n";
import { localProblems, MAX_LICENCE_BYTES, type RegistrationForm } from "@/views/registration/validation";

const translate = createPortalI18n().global.t as (key: string, named?: Record<string, unknown>) => string;

function completeForm(): RegistrationForm {
  return {
    enterpriseName: "郑州市金水区示例眼镜有限公司",
    creditCode: "91410105MA44XXXX0X",
    divisionCode: "410105",
    address: "郑州市金水区花园路 88 号",
    contactName: "王敏",
    contactPhone: "13812345678",
    username: "glasses_shop",
    password: "Jinshui-Scale-2026",
    confirmPassword: "Jinshui-Scale-2026",
  };
}

describe("registration form checks", () => {
  it("accepts a complete form with a licence", () => {
    const file = new File(["x"], "licence.png", { type: "image/png" });

    expect(localProblems(completeForm(), file, translate)).toEqual({});
  });

  it("names every missing field in Chinese", () => {
    const empty = { ...completeForm(), enterpriseName: "", contactPhone: "", divisionCode: "" };

    const problems = localProblems(empty, null, translate);

    expect(problems.enterpriseName).toBe("请填写企业名称");
    expect(problems.contactPhone).toBe("请填写联系人手机号码");
    expect(problems.divisionCode).toContain("县（市、区）");
    expect(problems.businessLicence).toBe("请上传营业执照扫描件");
  });

  it("rejects a malformed credit code and mismatched passwords", () => {
    const form = { ...completeForm(), creditCode: "12345", confirmPassword: "other" };

    const problems = localProblems(form, new File(["x"], "a.png"), translate);

    expect(problems.creditCode).toContain("18 位");
    expect(problems.confirmPassword).toBe("两次输入的密码不一致");
  });

  it("rejects a licence over the size limit", () => {
    const large = new File([new Uint8Array(MAX_LICENCE_BYTES + 1)], "big.pdf");

    expect(localProblems(completeForm(), large, translate).businessLicence).toContain("1.8 MB");
  });
});
