import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fileBlob } from "@/views/applications/download";

import { accessGranting, createAccountServer, operationNames, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

const ROW = {
  __typename: "VerificationApplication",
  id: "7",
  number: "SQ20261204000007",
  status: "SUBMITTED",
  statusLabel: "待机构确认",
  enterpriseName: "郑州示例燃气有限公司",
  institutionName: "河南省计量测试科学研究院",
  outOfProvince: false,
  preferredDate: "2026-12-10",
  deliveryModeLabel: "送检",
  submittedAt: "2026-12-04T08:00:00+00:00",
  appointmentDate: null,
  assigneeName: null,
  instrumentCount: 2,
};

function listResponse() {
  return {
    data: {
      verificationApplications: {
        __typename: "VerificationApplicationPage",
        totalCount: 1,
        page: 1,
        pageSize: 20,
        items: [ROW],
      },
    },
  };
}

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

describe("verification applications", () => {
  it("lists the enterprise's applications with their status", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["applications.submit", "applications.view"]),
      VerificationApplications: listResponse,
    });
    const { wrapper } = await mountApp("/workbench/applications", server.fetch);

    await vi.waitFor(() => {
      expect(wrapper.find('[data-testid="application-status-SQ20261204000007"]').exists()).toBe(true);
    }, ROUTE_TIMEOUT);
    expect(wrapper.get('[data-testid="application-status-SQ20261204000007"]').text()).toBe("待机构确认");
    expect(wrapper.find('[data-testid="application-new"]').exists()).toBe(true);
  });

  it("shows the confirm and reject buttons to the institution", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["bookings.confirm"], ["业务受理员"], "institution"),
      VerificationApplications: listResponse,
    });
    const { wrapper } = await mountApp("/workbench/bookings", server.fetch);

    await vi.waitFor(() => {
      expect(wrapper.find('[data-testid="booking-confirm-SQ20261204000007"]').exists()).toBe(true);
    }, ROUTE_TIMEOUT);
    const listRequest = server.requests.find((request) => request.body?.operationName === "VerificationApplications");
    expect(listRequest?.body?.variables?.status).toEqual(["SUBMITTED"]);
    expect(operationNames(server.requests)).toContain("VerificationApplications");
  });

  it("keeps enterprises away from booking confirmation", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, { MyAccess: accessGranting(["applications.submit"]) });
    const { router } = await mountApp("/workbench/bookings", server.fetch);
    await flushPromises();

    expect(router.currentRoute.value.path).toBe("/workbench");
  });

  it("decodes a Base64 file into a blob", async () => {
    const blob = fileBlob({ fileName: "a.pdf", contentType: "application/pdf", contentBase64: "JVBERi0=" });

    expect(blob.type).toBe("application/pdf");
    expect(new TextDecoder().decode(await blob.arrayBuffer())).toBe("%PDF-");
  });
});
