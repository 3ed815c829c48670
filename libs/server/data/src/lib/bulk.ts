import { DomainError, GrpcStatus } from '@micronote/server-core';

import { invalidInput, isId } from './ids';

/** One item of a bulk answer: the gRPC status its single call would have ended with (0 OK) and, on failure, the domain code. */
export interface BulkItem {
  id: string;
  grpcCode: number;
  code: string;
}

/**
 * The one bulk loop of the twins (notes and todos): checks `ids` (1..maxIds positive ids, none
 * repeated) and `action` (one of `actions`) before anything changes, then applies the action to
 * each id in order, each succeeding or failing on its own as its single call would (its gRPC
 * status and domain code). A failure that is not a DomainError (the database gone) ends the call:
 * the items before it stay done, and sending the same request again is safe.
 */
export async function bulkEach<Action extends string>(
  request: { ids: readonly string[]; action: string },
  options: { actions: readonly Action[]; maxIds: number; check?: (action: Action) => void },
  apply: (id: string, action: Action) => Promise<void>,
): Promise<{ items: BulkItem[] }> {
  const { ids, action } = request;
  if (ids.length === 0 || ids.length > options.maxIds) throw invalidInput(`ids must hold 1 to ${options.maxIds} ids`);
  if (!ids.every(isId)) throw invalidInput('each of ids must be a positive integer id');
  if (new Set(ids).size !== ids.length) throw invalidInput('ids must not repeat an id');
  if (!(options.actions as readonly string[]).includes(action)) throw invalidInput(`action must be one of ${options.actions.join(', ')}`);
  options.check?.(action as Action);
  const items: BulkItem[] = [];
  for (const id of ids) {
    try {
      await apply(id, action as Action);
      items.push({ id, grpcCode: GrpcStatus.OK, code: '' });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      items.push({ id, grpcCode: error.status, code: error.code });
    }
  }
  return { items };
}
