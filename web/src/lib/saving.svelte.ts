import { getContext, setContext } from 'svelte';
import { isApiError } from '$lib/api';

/**
 * The state of one save (or delete): busy while it runs, the error when it failed. A 401 is not
 * kept as an error: `api.ts` already sends the user to the sign-in page.
 */
export class Saver {
  busy = $state(false);
  error = $state<unknown>(null);

  /** Runs `work` once at a time; true when it succeeded. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await work();
      return true;
    } catch (error) {
      if (!isApiError(error, 401)) this.error = error;
      return false;
    } finally {
      this.busy = false;
    }
  }

  reset(): void {
    this.error = null;
  }
}

/** Whether a save met a newer version (412): the form keeps what was typed and loads the newer one. */
export function isNewerVersionError(error: unknown): boolean {
  return isApiError(error, 412);
}

const NEWER_VERSION = Symbol('newer-version');

/**
 * What holds an edit form (EditableItem) shows the thing as it is now beside the form when the
 * form's save met a newer version; the form tells it with the function given here.
 */
export function provideNewerVersionView(show: (shown: boolean) => void): void {
  setContext(NEWER_VERSION, show);
}

/** The function of {@link provideNewerVersionView} around this form, if any. */
export function newerVersionView(): ((shown: boolean) => void) | undefined {
  return getContext<((shown: boolean) => void) | undefined>(NEWER_VERSION);
}
