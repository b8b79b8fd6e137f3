import type { SessionUser } from "@/session/store";

import { createFakeGraphQLFetch, type RecordedRequest } from "./helpers";

export const GENERIC_LOGIN_FAILURE = "用户名或密码错误，或账号已被锁定，请稍后再试。";

export const USER: SessionUser = {
  username: "zhangsan",
  displayName: "张三",
  organisationName: "郑州示例燃气有限公司",
  mustChangePassword: false,
};

export const NEW_USER: SessionUser = { ...USER, mustChangePassword: true };

type OperationResponder = (variables: Record<string, unknown>) => unknown;

/**
 * Creates a fake GraphQL server that responds by operation name. Unless a handler
 * replaces them, `Me` returns `me`, `Logout` succeeds and the portal home has no news.
 */
export function createAccountServer(me: SessionUser | null, handlers: Record<string, OperationResponder> = {}) {
  const answer = (request: RecordedRequest) => {
    const name = request.body?.operationName ?? "";
    const handler = handlers[name];
    if (handler) {
      return handler(request.body?.variables ?? {});
    }
    if (name === "Me") {
      return { data: { me: me && { __typename: "BusinessUser", ...me } } };
    }
    if (name === "PortalHome") {
      return { data: { notices: [], workUpdates: [], laws: [] } };
    }
    if (name === "MyAccess") {
      return { data: { myAccess: { __typename: "MyAccess", roles: [], organisationKind: "enterprise", permissions: [] } } };
    }
    if (name === "Logout") {
      return { data: { logout: { __typename: "LogoutPayload", errors: [] } } };
    }
    return { data: null, errors: [{ message: `The fake server has no response for operation ${name}.` }] };
  };
  return createFakeGraphQLFetch(answer);
}

/** Returns the operation names the fake server received, GETs for the CSRF cookie left out. */
export function operationNames(requests: RecordedRequest[]): string[] {
  return requests.filter((request) => request.method === "POST").map((request) => request.body?.operationName ?? "");
}

export function loginSuccess(user: SessionUser) {
  return { data: { login: { __typename: "LoginPayload", errors: [], user: { __typename: "BusinessUser", ...user } } } };
}

/** Returns the error text shown under the form item that contains `input[data-testid=testId]`. */
export function fieldErrorText(root: Element, testId: string): string | null {
  const input = root.querySelector(`input[data-testid="${testId}"]`);
  if (!input) {
    throw new Error(`No input with data-testid="${testId}" is mounted.`);
  }
  const item = input.closest(".el-form-item");
  return item?.querySelector(".el-form-item__error")?.textContent?.trim() ?? null;
}

/** A MyAccess response granting `codes` with the organisation scope. */
export function accessGranting(codes: string[], roles = ["企业管理员"], organisationKind = "enterprise") {
  return () => ({
    data: {
      myAccess: {
        __typename: "MyAccess",
        roles,
        organisationKind,
        permissions: codes.map((code) => ({ __typename: "PermissionGrant", code, scope: "organisation" })),
      },
    },
  });
}
