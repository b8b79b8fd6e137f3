import { createI18n } from "vue-i18n";

import zhCN, { type MessageSchema } from "./locales/zh-CN";

export const DEFAULT_LOCALE = "zh-CN";

export function createPortalI18n() {
  return createI18n<[MessageSchema], "zh-CN", false>({
    legacy: false,
    locale: DEFAULT_LOCALE,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { "zh-CN": zhCN },
  });
}
