/** A generated file as the server returns it (receipt, certificate PDF, import template). */
export interface ServerFile {
  fileName: string;
  contentType: string;
  contentBase64: string;
}

/** Decodes a Base64 file from the server into a Blob. */
export function fileBlob(file: ServerFile): Blob {
  const binary = atob(file.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) {
    bytes[index] = binary.charCodeAt(index);
  }
  return new Blob([bytes], { type: file.contentType });
}

/** Saves a server file through a temporary link, the way browsers download files. */
export function saveFile(file: ServerFile): void {
  const url = URL.createObjectURL(fileBlob(file));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads a chosen file as Base64 without the data-URL prefix. */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
