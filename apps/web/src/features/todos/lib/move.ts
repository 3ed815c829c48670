import type { MoveTodoRequest } from '@micronote/contracts';

/** `items` with the one at `from` taken out and put in at `to` (the index it ends up at). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

/**
 * A drop of `ids[from]` at index `to`: the new order, and the `POST /api/todos/:id/move` body with
 * its new neighbours (`after` the one now above it, `before` the one now below; left out at an
 * end). null when nothing moves.
 */
export function moveNeighbours(ids: readonly string[], from: number, to: number): { order: string[]; request: MoveTodoRequest } | null {
  if (from === to || from < 0 || to < 0 || from >= ids.length || to >= ids.length) return null;
  const order = moveItem(ids, from, to);
  const request: MoveTodoRequest = {};
  if (to > 0) request.after = order[to - 1];
  if (to < order.length - 1) request.before = order[to + 1];
  return { order, request };
}
