import type { RouteLocationNormalized, RouteLocationRaw, Router } from "vue-router";

import { LOGIN_PATH } from "./redirect";
import type { SessionStore } from "./store";

export const CHANGE_PASSWORD_PATH = "/change-password";

/**
 * Returns where the router sends a navigation to `to` instead, or true to let it pass.
 *
 * - A route with `meta.requiresAuth` sends an anonymous visitor to /login with the
 *   requested address in `redirect`.
 * - While the signed-in user must change the password, every route except
 *   /change-password, /login and the routes with `meta.public` goes to /change-password,
 *   because the server rejects everything else until then.
 */
export function sessionRedirect(to: RouteLocationNormalized, session: SessionStore): RouteLocationRaw | true {
  const me = session.state.me;

  if (to.meta.requiresAuth && !me) {
    return { path: LOGIN_PATH, query: { redirect: to.fullPath } };
  }

  const allowedBeforeChange = to.meta.public === true || to.path === LOGIN_PATH || to.path === CHANGE_PASSWORD_PATH;
  if (me?.mustChangePassword && !allowedBeforeChange) {
    return { path: CHANGE_PASSWORD_PATH };
  }
  return true;
}

/** Makes every navigation wait for the Me query once, then applies `sessionRedirect`. */
export function installSessionGuard(router: Router, session: SessionStore): void {
  router.beforeEach(async (to) => {
    await session.ensureLoaded();
    return sessionRedirect(to, session);
  });
}
