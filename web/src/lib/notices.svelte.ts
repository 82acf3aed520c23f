/**
 * Changes of the notices made on the page itself (one marked read): the header's bell counts again
 * when this moves, not only on the next navigation.
 */
export const noticeChanges = $state({ count: 0 });

/** Tells the bell that the unread count may have changed. */
export function noticesChanged(): void {
  noticeChanges.count += 1;
}
