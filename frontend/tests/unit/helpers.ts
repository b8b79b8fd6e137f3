import { install as installUrql } from "@urql/vue";
import { flushPromises, mount } from "@vue/test-utils";
import { type Component, defineComponent, h } from "vue";
import { createMemoryHistory, createRouter, RouterView } from "vue-router";

import AppHeader from "@/components/AppHeader.vue";
import { createGraphQLClient } from "@/graphql/client";
import { createPortalI18n } from "@/i18n";
import { installPermissionGuard, routes } from "@/router";
import { installSessionGuard } from "@/session/guard";
import { createSession } from "@/session/store";
import { createAccess } from "@/workbench/access";

/** One GraphQL request as the fake server received it. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: { operationName?: string; query?: string; variables?: Record<string, unknown> } | null;
}

export type GraphQLResponder = (request: RecordedRequest) => unknown;

/** Returns a JSON response the way the GraphQL endpoint sends one. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/**
 * Creates a fake `fetch` for the GraphQL endpoint. Every request, GETs included, is
 * recorded and receives the JSON body that `respond` returns for it.
 */
export function createFakeGraphQLFetch(respond: GraphQLResponder) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request: RecordedRequest = {
      url: String(input),
      method: (init?.method ?? "GET").toUpperCase(),
      headers: new Headers(init?.headers),
      credentials: init?.credentials,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : null,
    };
    requests.push(request);
    return jsonResponse(respond(request));
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

export function setCookie(name: string, value: string): void {
  document.cookie = `${name}=${value}; path=/`;
}

export function clearCookie(name: string): void {
  document.cookie = `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

/**
 * Mounts the app's router view at `path` with the real router table, i18n messages and
 * an urql client that talks to `fetchImpl`.
 */
export async function mountRoute(path: string, fetchImpl: typeof fetch) {
  const router = createRouter({ history: createMemoryHistory(), routes });
  const i18n = createPortalI18n();
  const client = createGraphQLClient(fetchImpl);

  await router.push(path);
  await router.isReady();

  const Root = defineComponent({ render: () => h(RouterView) });
  const wrapper = mount(Root, {
    attachTo: document.body,
    global: {
      plugins: [i18n, router, [installUrql, client]],
    },
  });
  await flushPromises();
  return { wrapper, router };
}

/**
 * Milliseconds `vi.waitFor` allows for a navigation: a lazily loaded view takes over a
 * second to import when every test file runs in parallel.
 */
export const ROUTE_TIMEOUT = { timeout: 5000 };

/**
 * Mounts the header and the router view at `path` the way the app does: with the
 * session store, whose Me query goes to `fetchImpl`, and the router guard.
 */
export async function mountApp(path: string, fetchImpl: typeof fetch) {
  const client = createGraphQLClient(fetchImpl);
  const session = createSession(client);
  const access = createAccess(client);
  const router = createRouter({ history: createMemoryHistory(), routes });
  installSessionGuard(router, session);
  installPermissionGuard(router, session, access);

  await router.push(path);
  await router.isReady();

  const Root = defineComponent({ render: () => h("div", [h(AppHeader), h(RouterView)]) });
  const wrapper = mount(Root, {
    attachTo: document.body,
    global: {
      plugins: [createPortalI18n(), router, session, access, [installUrql, client]],
    },
  });
  await flushPromises();
  return { wrapper, router, session, access };
}

/** Mounts a presentational component with the i18n messages installed. */
export function mountWithI18n(component: Component, props: Record<string, unknown>) {
  return mount(component, {
    props,
    global: { plugins: [createPortalI18n()] },
  });
}
