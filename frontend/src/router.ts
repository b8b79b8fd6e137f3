import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from "vue-router";

import { installSessionGuard } from "./session/guard";
import type { SessionStore } from "./session/store";
import HomeView from "./views/HomeView.vue";
import type { AccessStore } from "./workbench/access";
import { workbenchEntries } from "./workbench/menu";

declare module "vue-router" {
  interface RouteMeta {
    /** Message key of the page title shown in the browser tab. */
    titleKey?: string;
    /** Portal page open to everyone, also while a signed-in user must change the password. */
    public?: boolean;
    /** Page for signed-in business users; anonymous visitors go to /login first. */
    requiresAuth?: boolean;
    /** Permission code the workbench screen needs (see src/workbench/menu.ts). */
    permission?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: "/", name: "home", component: HomeView, meta: { titleKey: "home.title", public: true } },
  {
    path: "/articles/:id",
    name: "article",
    component: () => import("./views/ArticleView.vue"),
    props: true,
    meta: { titleKey: "article.title", public: true },
  },
  {
    path: "/sections/:section",
    name: "portal-section",
    component: () => import("./views/portal/SectionListView.vue"),
    props: true,
    meta: { titleKey: "portal.section.title", public: true },
  },
  {
    path: "/search",
    name: "portal-search",
    component: () => import("./views/portal/SearchView.vue"),
    meta: { titleKey: "portal.search.title", public: true },
  },
  {
    path: "/certificate-check",
    name: "certificate-check",
    component: () => import("./views/CertificateCheckView.vue"),
    meta: { titleKey: "certificateCheck.title", public: true },
  },
  {
    path: "/interaction",
    name: "interaction",
    component: () => import("./views/interaction/InteractionPortalView.vue"),
    meta: { titleKey: "interaction.portal.title", public: true },
  },
  {
    path: "/interaction/replies",
    name: "interaction-replies",
    component: () => import("./views/interaction/PublishedRepliesView.vue"),
    meta: { titleKey: "interaction.replies.title", public: true },
  },
  {
    path: "/surveys",
    name: "surveys",
    component: () => import("./views/surveys/SurveyListView.vue"),
    meta: { titleKey: "surveys.list.title", public: true },
  },
  {
    path: "/surveys/:id",
    name: "survey-fill",
    component: () => import("./views/surveys/SurveyFillView.vue"),
    props: true,
    meta: { titleKey: "surveys.fill.title", public: true },
  },
  {
    path: "/lookups/:category?",
    name: "lookups",
    component: () => import("./views/lookups/LookupView.vue"),
    props: true,
    meta: { titleKey: "lookups.title", public: true },
  },
  {
    // Opened by the QR code on an instrument's label; the token is the only key.
    path: "/i/:token",
    name: "instrument-status",
    component: () => import("./views/public/InstrumentStatusView.vue"),
    props: true,
    meta: { titleKey: "labels.status.title", public: true },
  },
  {
    path: "/capabilities",
    name: "capabilities",
    component: () => import("./views/capabilities/CapabilityLookupView.vue"),
    meta: { titleKey: "qualifications.capabilities.title", public: true },
  },
  {
    path: "/register",
    name: "register",
    component: () => import("./views/registration/RegisterView.vue"),
    meta: { titleKey: "registration.register.title", public: true },
  },
  {
    path: "/login",
    name: "login",
    component: () => import("./views/LoginView.vue"),
    meta: { titleKey: "login.title" },
  },
  {
    path: "/change-password",
    name: "change-password",
    component: () => import("./views/ChangePasswordView.vue"),
    meta: { titleKey: "changePassword.title", requiresAuth: true },
  },
  {
    path: "/profile",
    name: "profile",
    component: () => import("./views/ProfileView.vue"),
    meta: { titleKey: "profile.title", requiresAuth: true },
  },
  {
    path: "/account/recover",
    name: "account-recover",
    component: () => import("./views/account/RecoverPasswordView.vue"),
    meta: { titleKey: "account.recover.title" },
  },
  {
    path: "/account/sessions",
    name: "account-sessions",
    component: () => import("./views/account/OnlineSessionsView.vue"),
    meta: { titleKey: "account.sessions.title", requiresAuth: true },
  },
  {
    path: "/workbench",
    component: () => import("./layouts/WorkbenchLayout.vue"),
    meta: { requiresAuth: true },
    children: workbenchEntries.map((entry) => ({
      path: entry.path,
      name: entry.name,
      component: entry.component,
      props: entry.props ?? false,
      meta: { titleKey: entry.titleKey, requiresAuth: true, permission: entry.permission },
    })) as RouteRecordRaw[],
  },
  {
    path: "/:pathMatch(.*)*",
    name: "not-found",
    component: () => import("./views/NotFoundView.vue"),
    meta: { titleKey: "notFound.title" },
  },
];

export function createPortalRouter(session: SessionStore, access?: AccessStore) {
  // Page routes live at the site root even though the built assets are served from
  // /static/app/, so the history base is "/" and not import.meta.env.BASE_URL.
  const router = createRouter({
    history: createWebHistory("/"),
    routes,
    scrollBehavior(_to, _from, savedPosition) {
      return savedPosition ?? { top: 0 };
    },
  });
  installSessionGuard(router, session);
  if (access) {
    installPermissionGuard(router, session, access);
  }
  return router;
}

/**
 * Loads the signed-in user's permissions before the first workbench screen and keeps
 * users away from screens whose permission they lack (the server refuses them anyway).
 */
export function installPermissionGuard(router: Router, session: SessionStore, access: AccessStore) {
  router.beforeEach(async (to) => {
    if (!session.state.me) {
      access.clear();
      return true;
    }
    if (!to.path.startsWith("/workbench")) {
      return true;
    }
    if (!access.state.loaded) {
      await access.load();
    }
    return access.can(to.meta.permission) ? true : { path: "/workbench" };
  });
}
