import type { Client } from "@urql/core";
import { readonly, ref } from "vue";

import { UnreadMessageCountDocument } from "@/gql/graphql";

// One count for the whole app, so that marking messages read in the message centre
// updates the bell on the workbench home at once. Null until the first load.
const unreadCount = ref<number | null>(null);

/** Returns the signed-in user's unread message count, shared by the bell and the message centre. */
export function useUnreadCount() {
  return readonly(unreadCount);
}

export function setUnreadCount(count: number | null): void {
  unreadCount.value = count;
}

/** Reads the unread count from the server. On failure the bell keeps its last value. */
export async function refreshUnreadCount(client: Client): Promise<void> {
  const response = await client
    .query(UnreadMessageCountDocument, {}, { requestPolicy: "network-only" })
    .toPromise();
  if (!response.error && response.data) {
    unreadCount.value = response.data.unreadMessageCount;
  }
}
