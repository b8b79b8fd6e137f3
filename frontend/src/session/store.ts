import type { Client } from "@urql/core";
import { type App, inject, type InjectionKey, reactive, readonly } from "vue";

import { LogoutDocument, MeDocument, type SessionUserFragment } from "@/gql/graphql";
import { describeRequestError, type RequestFailure } from "@/graphql/errors";

export type SessionUser = SessionUserFragment;

export interface SessionState {
  /**
   * The signed-in business user, or null for an anonymous visitor.
   * NOTE: only Me, Login, ChangePassword and Logout update it. When the server ends an
   * idle session, the user stays here until a request returns UNAUTHENTICATED and its
   * caller calls `clear()`, or the page is reloaded.
   */
  me: SessionUser | null;
  /** Whether a Me query response has arrived since the app started. */
  loaded: boolean;
}

/** Signed-in state of the PC channel, shared by the header, the views and the router guard. */
export interface SessionStore {
  readonly state: Readonly<SessionState>;
  /** Sends the Me query and stores its result. Concurrent callers share one request. */
  load(): Promise<void>;
  /** Loads the session unless it has been loaded already. */
  ensureLoaded(): Promise<void>;
  /** Stores the user a Login or ChangePassword payload returned. */
  setUser(user: SessionUser): void;
  /** Forgets the signed-in user without telling the server. */
  clear(): void;
  /** Sends Logout and clears the store. When the request fails, keeps the user and returns the failure. */
  logout(fallbackMessage: string): Promise<RequestFailure | null>;
  /** Makes the store available to `useSession()` in every component. */
  install(app: App): void;
}

export const SESSION_KEY: InjectionKey<SessionStore> = Symbol("session");

export function createSession(client: Client): SessionStore {
  const state = reactive<SessionState>({ me: null, loaded: false });
  let pendingLoad: Promise<void> | null = null;

  async function sendMeQuery(): Promise<void> {
    // network-only: the session may have ended on the server since the last response.
    const response = await client.query(MeDocument, {}, { requestPolicy: "network-only" }).toPromise();
    if (response.error) {
      // The visitor stays anonymous, so public pages keep working and /login is offered.
      console.error("Failed to load the signed-in user", response.error);
      state.me = null;
    } else {
      state.me = response.data?.me ?? null;
    }
    state.loaded = true;
  }

  const store: SessionStore = {
    state: readonly(state) as Readonly<SessionState>,

    load() {
      if (!pendingLoad) {
        pendingLoad = sendMeQuery().finally(() => {
          pendingLoad = null;
        });
      }
      return pendingLoad;
    },

    ensureLoaded() {
      return state.loaded ? Promise.resolve() : store.load();
    },

    setUser(user) {
      state.me = { ...user };
      state.loaded = true;
    },

    clear() {
      state.me = null;
      state.loaded = true;
    },

    async logout(fallbackMessage) {
      const response = await client.mutation(LogoutDocument, {}).toPromise();
      if (response.error) {
        return describeRequestError(response.error, fallbackMessage);
      }
      const serverError = response.data?.logout?.errors[0];
      if (serverError) {
        return { message: serverError.message, code: serverError.code };
      }
      store.clear();
      return null;
    },

    install(app) {
      app.provide(SESSION_KEY, store);
    },
  };
  return store;
}

/** Returns the session store that the app installed. */
export function useSession(): SessionStore {
  const session = inject(SESSION_KEY);
  if (!session) {
    throw new Error("useSession() found no session store: install createSession(client) with app.use() first.");
  }
  return session;
}
