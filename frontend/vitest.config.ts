import { defineConfig, mergeConfig } from "vitest/config";

import viteConfig from "./vite.config.ts";

export default defineConfig((env) =>
  mergeConfig(viteConfig(env), {
    test: {
      environment: "happy-dom",
      include: ["tests/unit/**/*.spec.ts"],
      css: false,
      server: {
        deps: {
          // Element Plus's ES build default-imports the CommonJS async-validator. Loaded
          // by Node itself, that import yields the module object instead of the class, so
          // form validation throws and silently passes. Vite's transform imports it correctly.
          inline: ["element-plus"],
        },
      },
    },
  }),
);
