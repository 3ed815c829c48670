import type { BulkItemResult, NoteBulkAction } from '@micronote/contracts';

import { plural } from '../../../lib/format';

/** What each action did, said of the notes it worked on. */
const DONE: Record<NoteBulkAction, string> = {
  pin: 'Pinned',
  unpin: 'Unpinned',
  archive: 'Archived',
  unarchive: 'Moved back to notes:',
  trash: 'Moved to the trash:',
  restore: 'Restored',
  delete: 'Deleted for good:',
  addTags: 'Tagged',
  removeTags: 'Untagged',
};

/** Why one item failed, in words (its code, else its status). */
export function failureReason(item: BulkItemResult): string {
  if (item.status === 404 || item.code === 'NOTE_NOT_FOUND') return 'not found';
  if (item.status === 409) return 'changed elsewhere';
  if (item.status === 429) return 'too many requests';
  if (item.status >= 500) return 'server error';
  if (item.code) return item.code.toLowerCase().replace(/_/g, ' ');
  return `error ${item.status}`;
}

export interface BulkSummary {
  ok: string[];
  failed: string[];
  /** "Archived 3 notes", or "48 done, 2 failed: not found" (several reasons: "3 failed: 2 not found, 1 invalid"). */
  message: string;
}

export function summarizeBulk(action: NoteBulkAction, items: readonly BulkItemResult[]): BulkSummary {
  const ok = items.filter((i) => i.status >= 200 && i.status < 300).map((i) => i.id);
  const failedItems = items.filter((i) => i.status < 200 || i.status >= 300);
  if (failedItems.length === 0) return { ok, failed: [], message: `${DONE[action]} ${plural(ok.length, 'note')}` };
  const reasons = new Map<string, number>();
  for (const item of failedItems) {
    const reason = failureReason(item);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const why = reasons.size === 1 ? [...reasons.keys()][0] : [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return { ok, failed: failedItems.map((i) => i.id), message: `${ok.length} done, ${failedItems.length} failed: ${why}` };
}
