import { flushPromises } from "@vue/test-utils";
import type { VueWrapper } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { CERTIFICATE, MESSAGES } from "./fixtures";
import { clearCookie, createFakeGraphQLFetch, mountRoute, type RecordedRequest, setCookie } from "./helpers";

function authenticResponse(request: RecordedRequest) {
  return {
    data: {
      certificateCheck: {
        __typename: "CertificateCheckResult",
        status: "AUTHENTIC",
        message: MESSAGES.AUTHENTIC,
        errors: [],
        certificate: {
          __typename: "PublicCertificate",
          ...CERTIFICATE,
          number: request.body?.variables?.number,
        },
      },
    },
  };
}

/** Returns the error text shown under the form item that contains `input[data-testid=testId]`. */
function fieldErrorText(wrapper: VueWrapper, testId: string): string | null {
  const item = wrapper.get(`input[data-testid="${testId}"]`).element.closest(".el-form-item");
  return item?.querySelector(".el-form-item__error")?.textContent?.trim() ?? null;
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("CertificateCheckView", () => {
  it("checks at once from the QR code address", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(authenticResponse);
    const { wrapper } = await mountRoute("/certificate-check?number=%20HNJY2026000123%20&code=ab23cd45", server.fetch);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body?.operationName).toBe("CheckCertificate");
    expect(server.requests[0]!.body?.variables).toEqual({ number: "HNJY2026000123", checkCode: "AB23CD45" });

    const numberInput = wrapper.get<HTMLInputElement>('input[data-testid="check-number"]');
    const codeInput = wrapper.get<HTMLInputElement>('input[data-testid="check-code"]');
    expect(numberInput.element.value).toBe("HNJY2026000123");
    expect(codeInput.element.value).toBe("AB23CD45");

    const result = wrapper.get('[data-testid="check-result"]');
    expect(result.attributes("data-status")).toBe("AUTHENTIC");
    expect(wrapper.get('[data-testid="check-field-number"]').text()).toBe("HNJY2026000123");
  });

  it("only fills in the form from a partial address", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(authenticResponse);
    const { wrapper } = await mountRoute("/certificate-check?number=HNJY2026000123", server.fetch);

    expect(server.requests).toHaveLength(0);
    expect(wrapper.get<HTMLInputElement>('input[data-testid="check-number"]').element.value).toBe("HNJY2026000123");
  });

  it("limits the input lengths", async () => {
    const server = createFakeGraphQLFetch(authenticResponse);
    const { wrapper } = await mountRoute("/certificate-check", server.fetch);

    expect(wrapper.get('input[data-testid="check-number"]').attributes("maxlength")).toBe("64");
    expect(wrapper.get('input[data-testid="check-code"]').attributes("maxlength")).toBe("16");
  });

  it("names the empty fields before sending", async () => {
    const server = createFakeGraphQLFetch(authenticResponse);
    const { wrapper } = await mountRoute("/certificate-check", server.fetch);

    await wrapper.get('input[data-testid="check-number"]').setValue("   ");
    await wrapper.get("form").trigger("submit");
    await flushPromises();

    expect(server.requests).toHaveLength(0);
    // Element Plus shows a form item's error after a short debounce.
    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper, "check-number")).toBe("请输入证书编号");
      expect(fieldErrorText(wrapper, "check-code")).toBe("请输入证书上印制的校验码");
    });
  });

  it("sends trimmed, uppercased input on submit", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(authenticResponse);
    const { wrapper } = await mountRoute("/certificate-check", server.fetch);

    await wrapper.get('input[data-testid="check-number"]').setValue("  HNJY2026000777 ");
    await wrapper.get('input[data-testid="check-code"]').setValue(" xy23zz99 ");
    await wrapper.get("form").trigger("submit");
    await flushPromises();

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body?.variables).toEqual({ number: "HNJY2026000777", checkCode: "XY23ZZ99" });
    expect(wrapper.get<HTMLInputElement>('input[data-testid="check-code"]').element.value).toBe("XY23ZZ99");
    expect(wrapper.get('[data-testid="check-result"]').attributes("data-status")).toBe("AUTHENTIC");
  });

  it("shows the server's field errors next to the field", async () => {
    setCookie("csrftoken", "TOKEN");
    const fieldMessage = "校验码为 8 位字母或数字，请按证书上印制的内容输入。";
    const server = createFakeGraphQLFetch(() => ({
      data: {
        certificateCheck: {
          __typename: "CertificateCheckResult",
          status: "INVALID",
          message: MESSAGES.INVALID,
          errors: [{ __typename: "FieldError", field: "checkCode", message: fieldMessage, code: "invalid" }],
          certificate: null,
        },
      },
    }));
    const { wrapper } = await mountRoute("/certificate-check?number=HNJY2026000123&code=0000", server.fetch);

    await vi.waitFor(() => {
      expect(fieldErrorText(wrapper, "check-code")).toBe(fieldMessage);
    });
    expect(fieldErrorText(wrapper, "check-number")).toBeNull();

    const result = wrapper.get('[data-testid="check-result"]');
    expect(result.attributes("data-status")).toBe("INVALID");
    expect(result.text()).toContain(MESSAGES.INVALID);
  });

  it("shows the RATE_LIMITED message", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createFakeGraphQLFetch(() => ({
      data: null,
      errors: [
        {
          message: "查询过于频繁，请稍后再试。",
          path: ["certificateCheck"],
          extensions: { code: "RATE_LIMITED" },
        },
      ],
    }));
    const { wrapper } = await mountRoute("/certificate-check?number=HNJY2026000123&code=AB23CD45", server.fetch);

    const failure = wrapper.get('[data-testid="check-error"]');
    expect(failure.attributes("data-code")).toBe("RATE_LIMITED");
    expect(failure.text()).toBe("查询过于频繁，请稍后再试。");
    expect(wrapper.find('[data-testid="check-result"]').exists()).toBe(false);
  });
});
