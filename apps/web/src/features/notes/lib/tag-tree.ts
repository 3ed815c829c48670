import type { TagCount } from '@micronote/contracts';

/** One tag of the sidebar's tree: `a/b/c` sits under `b`, under `a`. */
export interface TagNode {
  /** The whole tag (`a/b`), what the list filters by. */
  tag: string;
  /** The last segment (`b`), what the tree shows. */
  name: string;
  /** Notes carrying exactly this tag (0 for a parent that only exists through its children). */
  count: number;
  /** `count` plus the `total` of every child: the notes of the subtree, a note with several of its tags counted for each. */
  total: number;
  children: TagNode[];
}

/** A tag's path of segments, or null when it does not nest (an empty segment: `a//b`, `/a`, `a/`): then it is one leaf at the root. */
function segments(tag: string): string[] | null {
  const parts = tag.split('/');
  return parts.every((part) => part.trim().length > 0) ? parts : null;
}

const byName = (a: TagNode, b: TagNode) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.name.localeCompare(b.name);

/**
 * The tree of the flat tag counts (`GET /api/notes/tags`): `a/b` becomes a child of `a`, a parent
 * missing from the counts is made up with `count` 0. Siblings are sorted by name (case-insensitive).
 */
export function buildTagTree(counts: readonly TagCount[]): TagNode[] {
  const roots: TagNode[] = [];
  const byTag = new Map<string, TagNode>();
  const node = (tag: string, name: string, siblings: TagNode[]): TagNode => {
    let found = byTag.get(tag);
    if (!found) {
      found = { tag, name, count: 0, total: 0, children: [] };
      byTag.set(tag, found);
      siblings.push(found);
    }
    return found;
  };
  for (const { tag, count } of counts) {
    const parts = segments(tag);
    if (!parts) {
      node(tag, tag, roots).count += count;
      continue;
    }
    let siblings = roots;
    let current: TagNode | undefined;
    for (let i = 0; i < parts.length; i++) {
      current = node(parts.slice(0, i + 1).join('/'), parts[i], siblings);
      siblings = current.children;
    }
    if (current) current.count += count;
  }
  const finish = (nodes: TagNode[]): number => {
    nodes.sort(byName);
    let sum = 0;
    for (const n of nodes) {
      n.total = n.count + finish(n.children);
      sum += n.total;
    }
    return sum;
  };
  finish(roots);
  return roots;
}

/** A node as the keyboard meets it: in document order, only where every ancestor is expanded. */
export interface VisibleTagNode {
  node: TagNode;
  level: number;
  /** The parent's tag, or null at the root. */
  parent: string | null;
}

export function visibleTagNodes(roots: readonly TagNode[], expanded: ReadonlySet<string>): VisibleTagNode[] {
  const out: VisibleTagNode[] = [];
  const walk = (nodes: readonly TagNode[], level: number, parent: string | null) => {
    for (const node of nodes) {
      out.push({ node, level, parent });
      if (node.children.length > 0 && expanded.has(node.tag)) walk(node.children, level + 1, node.tag);
    }
  };
  walk(roots, 1, null);
  return out;
}

/** `a/b/c` → `['a', 'a/b']`: the parents to open so that a tag shows. */
export function tagAncestors(tag: string): string[] {
  const parts = segments(tag);
  if (!parts) return [];
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Whether `tag` is `parent` itself or one of its children (`parent/...`), as the server's `tag=` filter and rename see it. */
export const isTagOrChild = (tag: string, parent: string): boolean => tag === parent || tag.startsWith(`${parent}/`);

/** The name `tag` gets when `from` (or a parent of it) is renamed to `to`. */
export const renamedTag = (tag: string, from: string, to: string): string => (isTagOrChild(tag, from) ? to + tag.slice(from.length) : tag);
