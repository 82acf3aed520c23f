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
