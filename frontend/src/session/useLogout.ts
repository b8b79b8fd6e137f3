import { ElMessage } from "element-plus";
import { ref } from "vue";
import { useI18n } from "vue-i18n";
import { useRouter } from "vue-router";

import { useSession } from "./store";

/** Returns `logout()`, which signs the user out on the server and then opens the home page. */
export function useLogout() {
  const session = useSession();
  const router = useRouter();
  const { t } = useI18n();
  const loggingOut = ref(false);

  async function logout() {
    loggingOut.value = true;
    const failure = await session.logout(t("app.account.logoutFailed"));
    loggingOut.value = false;

    if (failure) {
      ElMessage.error(failure.message);
      return;
    }
    await router.push("/");
  }

  return { logout, loggingOut };
}
