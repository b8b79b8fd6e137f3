import type { CombinedError } from "@urql/core";
import { ref } from "vue";

export const STEP_UP_REQUIRED = "STEP_UP_REQUIRED";

/** Returns whether a failed request requires step-up re-authentication first. */
export function needsStepUp(error: CombinedError | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((graphQLError) => graphQLError.extensions?.code === STEP_UP_REQUIRED));
}

/**
 * Runs sensitive operations: when the server returns STEP_UP_REQUIRED, shows the
 * re-authentication dialog (bind `visible` and `finish` to StepUpDialog) and, once the
 * user has re-authenticated, sends the operation again.
 */
export function useStepUp() {
  const visible = ref(false);
  let pending: ((ok: boolean) => void) | null = null;

  function finish(ok: boolean) {
    visible.value = false;
    pending?.(ok);
    pending = null;
  }

  function ask(): Promise<boolean> {
    visible.value = true;
    return new Promise((resolve) => {
      pending = resolve;
    });
  }

  /** Returns the operation's result, after re-authentication if needed, or null when the user cancelled. */
  async function run<Result extends { error?: CombinedError }>(operation: () => Promise<Result>): Promise<Result | null> {
    const first = await operation();
    if (!needsStepUp(first.error)) {
      return first;
    }
    if (!(await ask())) {
      return null;
    }
    return operation();
  }

  return { visible, finish, run };
}
