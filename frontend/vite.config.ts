import { fileURLToPath, URL } from "node:url";

import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

// Django serves the built assets under /static/app/ and returns dist/index.html for every
// page route, so only the production build uses that base. The dev server keeps "/" so
// that history-mode routes such as /certificate-check load directly.
// GRAPHQL_PROXY_TARGET points the dev server at a backend on another address.
const graphqlProxyTarget = process.env.GRAPHQL_PROXY_TARGET ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/",
  plugins: [vue()],
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./src", import.meta.url)),
    },
  },
  define: {
    // vue-i18n compile-time flags: Composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      // changeOrigin stays false: Django compares the Origin header of a POST with the
      // Host header, and both must name the dev server for the CSRF check to pass.
      "/graphql/": {
        target: graphqlProxyTarget,
        changeOrigin: false,
      },
    },
  },
}));
