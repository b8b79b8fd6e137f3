import type { PublicCertificate } from "@/utils/certificate";

export const CERTIFICATE: PublicCertificate = {
  number: "HNJY2026000123",
  kindLabel: "检定证书",
  institutionName: "河南省计量测试科学研究院",
  clientName: "郑州示例燃气有限公司",
  instrumentName: "膜式燃气表",
  model: "G2.5",
  serialNumber: "SN-20260001",
  conclusion: "合格",
  verificationDate: "2026-03-15",
  validUntil: "2028-03-14",
  issuedAt: "2026-03-16T02:30:00+00:00",
  statusLabel: "有效",
  voidReason: null,
  reissuedAsNumber: null,
  replacesNumber: null,
};

export const MESSAGES = {
  AUTHENTIC: "证书真实有效：证书内容与签发时的电子签名一致。",
  VOID: "该证书已被签发机构作废，不能作为有效证明。",
  ALTERED: "证书内容在签发后被改动，与电子签名不符，请勿采信，并联系签发机构核实。",
  NOT_FOUND: "未找到与该证书编号和校验码相符的证书，请核对证书上印制的编号和校验码。",
  INVALID: "输入有误，请按提示修改后重新查询。",
} as const;
