import "element-plus/dist/index.css";
import "./styles/main.css";

import urql from "@urql/vue";
import { createApp } from "vue";

import App from "./App.vue";
import { createGraphQLClient } from "./graphql/client";
import { createPortalI18n } from "./i18n";
import { createPortalRouter } from "./router";
import { createSession } from "./session/store";
import { createAccess } from "./workbench/access";

const app = createApp(App);
const i18n = createPortalI18n();
const client = createGraphQLClient();
const session = createSession(client);
const access = createAccess(client);
const router = createPortalRouter(session, access);

// Sent at start. The router guard waits for the response before the first page shows.
void session.load();

router.afterEach((to) => {
  const { t } = i18n.global;
  const appName = t("app.name");
  document.title = to.meta.titleKey ? `${t(to.meta.titleKey)} - ${appName}` : appName;
});

app.use(i18n);
app.use(session);
app.use(access);
app.use(router);
app.use(urql, client);
app.mount("#app");
