import { createHash } from 'node:crypto';

/**
 * The `import_key` under which a create with an Idempotency-Key is stored (null without a key).
 * Creates share the (user_id, import_key) unique index with imports; the `req:` prefix keeps the
 * two apart, and hashing keeps any 1–128 character key inside the column.
 */
export function requestKeyOf(idempotencyKey: string | undefined): string | null {
  if (!idempotencyKey) return null;
  return `req:${createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}
