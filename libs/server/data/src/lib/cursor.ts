import { DomainError, GrpcStatus } from '@micronote/server-core';

export const invalidCursor = () => new DomainError('INVALID_CURSOR', 'cursor is not valid for this list', GrpcStatus.INVALID_ARGUMENT);

/**
 * Opaque keyset cursors: the sort key of the last item, base64url-encoded JSON with a kind tag.
 * `read` checks the shape, so a tampered or foreign cursor is a clean INVALID_ARGUMENT.
 */
export const cursorCodec = {
  encode(kind: string, values: (string | number | boolean | null)[]): string {
    return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
  },

  decode<T extends unknown[]>(kind: string, cursor: string, check: (values: unknown[]) => values is T): T {
    if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(parsed) || parsed[0] !== kind) throw invalidCursor();
    const values = parsed.slice(1);
    if (!check(values)) throw invalidCursor();
    return values;
  },
};
