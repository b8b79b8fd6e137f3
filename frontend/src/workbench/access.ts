import type { Client } from "@urql/core";
import { type App, inject, type InjectionKey, reactive, readonly } from "vue";

import { MyAccessDocument } from "@/gql/graphql";

interface AccessState {
  roles: string[];
  organisationKind: string | null;
  /** Permission code → data scope. */
  scopes: Record<string, string>;
  loaded: boolean;
}

/** The signed-in user's roles and permissions, used to build the menu and hide buttons. */
export interface AccessStore {
  readonly state: Readonly<AccessState>;
  load(): Promise<void>;
  can(permission: string | undefined): boolean;
  clear(): void;
  install(app: App): void;
}

export const ACCESS_KEY: InjectionKey<AccessStore> = Symbol("access");

export function createAccess(client: Client): AccessStore {
  const state = reactive<AccessState>({ roles: [], organisationKind: null, scopes: {}, loaded: false });

  const store: AccessStore = {
    state: readonly(state) as Readonly<AccessState>,

    async load() {
      const response = await client.query(MyAccessDocument, {}, { requestPolicy: "network-only" }).toPromise();
      const access = response.data?.myAccess;
      state.roles = access?.roles ?? [];
      state.organisationKind = access?.organisationKind ?? null;
      state.scopes = Object.fromEntries((access?.permissions ?? []).map((grant) => [grant.code, grant.scope]));
      state.loaded = true;
    },

    can(permission) {
      return permission === undefined || permission in state.scopes;
    },

    clear() {
      state.roles = [];
      state.organisationKind = null;
      state.scopes = {};
      state.loaded = false;
    },

    install(app) {
      app.provide(ACCESS_KEY, store);
    },
  };
  return store;
}

export function useAccess(): AccessStore {
  const store = inject(ACCESS_KEY);
  if (!store) {
    throw new Error("useAccess() called without the access store installed");
  }
  return store;
}
