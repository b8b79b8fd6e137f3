import { useMutation } from "@urql/vue";
import { watch, type Ref } from "vue";
import { useRoute } from "vue-router";

import { RecordPageViewDocument } from "@/gql/graphql";

/**
 * Reports a page view for the visitor analytics each time the route path changes.
 * A failed report is ignored: statistics must never disturb reading.
 */
export function usePageView(details?: Ref<{ pageId?: string | null; section?: string | null } | null>) {
  const route = useRoute();
  const { executeMutation } = useMutation(RecordPageViewDocument);

  function report() {
    const extra = details?.value ?? {};
    void executeMutation({
      path: route.path,
      pageId: extra.pageId ?? null,
      section: extra.section ?? null,
    }).catch(() => undefined);
  }

  if (details) {
    // Wait until the details (page id, section) are known, then report once per path.
    let reportedPath = "";
    watch(
      () => [route.path, details.value] as const,
      ([path, value]) => {
        if (value && path !== reportedPath) {
          reportedPath = path;
          report();
        }
      },
      { immediate: true },
    );
  } else {
    watch(() => route.path, report, { immediate: true });
  }
}
