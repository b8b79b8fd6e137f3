import type { InstrumentDeliveryMode, InstrumentFilterInput, InstrumentLifecycleStatus, InstrumentUsage } from "@/gql/graphql";

/** A file the server returns inside a GraphQL payload (export, import template). */
export interface PayloadFile {
  fileName: string;
  contentType: string;
  contentBase64: string;
}

/** Decodes a Base64 payload file into a Blob. */
export function payloadBlob(file: PayloadFile): Blob {
  const binary = atob(file.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) {
    bytes[index] = binary.charCodeAt(index);
  }
  return new Blob([bytes], { type: file.contentType });
}

/** Saves a payload file through a temporary link, the way browsers download files. */
export function savePayloadFile(file: PayloadFile): void {
  const url = URL.createObjectURL(payloadBlob(file));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads a chosen file as Base64 without the data-URL prefix. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Formats a size in bytes as KB or MB for tables. */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) {
    return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The ledger's query form; empty strings mean "any". */
export interface LedgerQueryForm {
  search: string;
  status: string;
  usage: string;
  mandatory: string;
  flagged: boolean;
  deliveryMode: string;
  divisionCode: string;
}

export function emptyLedgerQuery(): LedgerQueryForm {
  return { search: "", status: "", usage: "", mandatory: "", flagged: false, deliveryMode: "", divisionCode: "" };
}

/** Builds the ledger filter the server expects from the query form, leaving out empty values. */
export function ledgerFilter(form: LedgerQueryForm): InstrumentFilterInput {
  const filter: InstrumentFilterInput = {};
  if (form.search.trim()) filter.search = form.search.trim();
  if (form.status) filter.status = form.status as InstrumentLifecycleStatus;
  if (form.usage) filter.usage = form.usage as InstrumentUsage;
  if (form.mandatory) filter.mandatory = form.mandatory === "yes";
  if (form.flagged) filter.flagged = true;
  if (form.deliveryMode) filter.deliveryMode = form.deliveryMode as InstrumentDeliveryMode;
  if (form.divisionCode.trim()) filter.divisionCode = form.divisionCode.trim();
  return filter;
}
