import { diff3Merge } from 'node-diff3';

/** What a three-way merge works on: the editable fields of a note. */
export interface MergeFields {
  title: string;
  text: string;
  tags: string[];
}

/** Lines both sides agree on (or only one side changed): already merged. */
export interface MergedChunk {
  kind: 'merged';
  lines: string[];
}

/** Lines both sides changed differently: the user picks. */
export interface ConflictChunk {
  kind: 'conflict';
  /** Stable within one plan: the hunk's position among the conflicts (0-based). */
  id: number;
  field: 'title' | 'text';
  base: string[];
  mine: string[];
  theirs: string[];
}

export type MergeChunk = MergedChunk | ConflictChunk;

export interface MergePlan {
  /** The title as merged, or a one-line conflict. */
  title: string | ConflictChunk;
  /** The text, line by line: merged runs and conflicting hunks in order. */
  text: MergeChunk[];
  /** Tags never conflict: theirs, plus what mine added, minus what mine removed. */
  tags: string[];
  conflicts: ConflictChunk[];
}

export type Resolution = { choice: 'mine' } | { choice: 'theirs' } | { choice: 'edit'; text: string };

const lines = (text: string): string[] => text.split('\n');

/**
 * Line-based three-way merge (node-diff3, as the server merges): runs only one side changed are
 * taken from it, identical changes on both sides are no conflict.
 */
function mergeLines(base: string, mine: string, theirs: string, field: 'title' | 'text', firstId: number): MergeChunk[] {
  const chunks: MergeChunk[] = [];
  let id = firstId;
  for (const region of diff3Merge<string>(lines(mine), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) {
      const last = chunks[chunks.length - 1];
      if (last?.kind === 'merged') last.lines.push(...region.ok);
      else chunks.push({ kind: 'merged', lines: [...region.ok] });
    } else if (region.conflict) {
      chunks.push({ kind: 'conflict', id: id++, field, base: region.conflict.o, mine: region.conflict.a, theirs: region.conflict.b });
    }
  }
  return chunks;
}

/** Theirs, plus the tags mine added, minus the ones mine removed (order: theirs first). */
export function mergeTags(base: string[], mine: string[], theirs: string[]): string[] {
  const removed = new Set(base.filter((t) => !mine.includes(t)));
  const added = mine.filter((t) => !base.includes(t));
  return [...new Set([...theirs.filter((t) => !removed.has(t)), ...added])];
}

/** The merge of mine and theirs against their common base, with the hunks that need a choice. */
export function planMerge(base: MergeFields, mine: MergeFields, theirs: MergeFields): MergePlan {
  let title: string | ConflictChunk;
  if (mine.title === theirs.title || theirs.title === base.title) title = mine.title;
  else if (mine.title === base.title) title = theirs.title;
  else title = { kind: 'conflict', id: 0, field: 'title', base: [base.title], mine: [mine.title], theirs: [theirs.title] };
  const text = mergeLines(base.text, mine.text, theirs.text, 'text', typeof title === 'string' ? 0 : 1);
  const conflicts = [...(typeof title === 'string' ? [] : [title]), ...text.filter((c): c is ConflictChunk => c.kind === 'conflict')];
  return { title, text, tags: mergeTags(base.tags, mine.tags, theirs.tags), conflicts };
}

function resolved(chunk: ConflictChunk, resolution: Resolution | undefined): string[] {
  if (!resolution || resolution.choice === 'mine') return chunk.mine;
  if (resolution.choice === 'theirs') return chunk.theirs;
  return lines(resolution.text);
}

/** The merged note once every conflict has a resolution (null while one is missing). */
export function applyResolutions(plan: MergePlan, resolutions: ReadonlyMap<number, Resolution>): MergeFields | null {
  if (plan.conflicts.some((c) => !resolutions.has(c.id))) return null;
  const title = typeof plan.title === 'string' ? plan.title : resolved(plan.title, resolutions.get(plan.title.id)).join(' ');
  const text = plan.text.flatMap((c) => (c.kind === 'merged' ? c.lines : resolved(c, resolutions.get(c.id)))).join('\n');
  return { title, text, tags: plan.tags };
}

/** The merge when it needs no choice, else null. */
export function mergeClean(base: MergeFields, mine: MergeFields, theirs: MergeFields): MergeFields | null {
  const plan = planMerge(base, mine, theirs);
  return plan.conflicts.length === 0 ? applyResolutions(plan, new Map()) : null;
}
