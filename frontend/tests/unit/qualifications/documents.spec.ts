import { flushPromises } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

import { accessGranting, createAccountServer, USER } from "../accounts";
import { clearCookie, mountApp, ROUTE_TIMEOUT, setCookie } from "../helpers";

afterEach(() => {
  clearCookie("csrftoken");
  document.body.innerHTML = "";
});

function version(id: string, status: string, statusLabel: string) {
  return {
    __typename: "DocumentVersion",
    id,
    version: `A/${id}`,
    changeNote: "",
    fileName: "质量手册.pdf",
    contentType: "application/pdf",
    size: 1024,
    sm3Digest: "ab".repeat(32),
    status,
    statusLabel,
    authorName: "作者",
    createdAt: "2026-12-01T01:00:00+00:00",
    approverName: null,
    decidedAt: null,
    decisionComment: "",
    publishedAt: null,
  };
}

function documentsPage() {
  return {
    data: {
      managementDocuments: {
        __typename: "ManagementDocumentPage",
        totalCount: 1,
        page: 1,
        pageSize: 20,
        items: [
          {
            __typename: "ManagementDocument",
            id: "1",
            kind: "QUALITY_MANUAL",
            kindLabel: "质量手册",
            code: "HNJY-QM-01",
            title: "质量手册",
            isWithdrawn: false,
            readableRoles: [],
            publishedVersion: null,
            versions: [version("2", "DRAFT", "待审批")],
          },
        ],
      },
    },
  };
}

describe("management documents", () => {
  it("lets an approver approve a version awaiting approval", async () => {
    setCookie("csrftoken", "TOKEN");
    const decided: unknown[] = [];
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["documents.view", "documents.approve"], ["机构管理员"], "institution"),
      ManagementDocuments: () => documentsPage(),
      DecideDocumentVersion: (variables) => {
        decided.push(variables);
        return {
          data: {
            decideDocumentVersion: {
              __typename: "DecideDocumentVersionPayload",
              errors: [],
              version: { __typename: "DocumentVersion", id: "2", status: "APPROVED", statusLabel: "已批准" },
            },
          },
        };
      },
    });
    const { wrapper } = await mountApp("/workbench/management-documents", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="documents-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();
    expect(wrapper.text()).toContain("HNJY-QM-01");
    expect(wrapper.text()).toContain("尚未发布");

    await wrapper.get(".el-table__expand-icon").trigger("click");
    await flushPromises();
    await wrapper.get('.el-table__body [data-testid="document-approve"]').trigger("click");
    await flushPromises();
    expect(decided).toEqual([{ versionId: "2", approve: true, comment: "" }]);
  }, 20000);

  it("shows readers no writing or approving buttons", async () => {
    setCookie("csrftoken", "TOKEN");
    const server = createAccountServer(USER, {
      MyAccess: accessGranting(["documents.view"], ["检定员"], "institution"),
      ManagementDocuments: () => documentsPage(),
    });
    const { wrapper } = await mountApp("/workbench/management-documents", server.fetch);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="documents-table"]').exists()).toBe(true), ROUTE_TIMEOUT);
    await flushPromises();
    expect(wrapper.find('[data-testid="documents-add"]').exists()).toBe(false);
    expect(wrapper.find('.el-table__body [data-testid="document-upload"]').exists()).toBe(false);
  }, 20000);
});
