import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";

import HomeView from "./views/HomeView.vue";

declare module "vue-router" {
  interface RouteMeta {
    /** Message key of the page title shown in the browser tab. */
    titleKey?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: "/", name: "home", component: HomeView, meta: { titleKey: "home.title" } },
  {
    path: "/articles/:id",
    name: "article",
    component: () => import("./views/ArticleView.vue"),
    props: true,
    meta: { titleKey: "article.title" },
  },
  {
    path: "/certificate-check",
    name: "certificate-check",
    component: () => import("./views/CertificateCheckView.vue"),
    meta: { titleKey: "certificateCheck.title" },
  },
  {
    path: "/:pathMatch(.*)*",
    name: "not-found",
    component: () => import("./views/NotFoundView.vue"),
    meta: { titleKey: "notFound.title" },
  },
];

export function createPortalRouter() {
  // Page routes live at the site root even though the built assets are served from
  // /static/app/, so the history base is "/" and not import.meta.env.BASE_URL.
  return createRouter({
    history: createWebHistory("/"),
    routes,
    scrollBehavior(_to, _from, savedPosition) {
      return savedPosition ?? { top: 0 };
    },
  });
}
