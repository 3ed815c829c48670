import type { DatabaseSpec } from '@micronote/server-core';
import { runMigrations } from '@micronote/server-core';

import type { Env } from './config/env.validation';
import { validate } from './config/env.validation';
import { migrations } from './migrations';
import { NOTE_MEMBER_ENTITIES } from './notes/note-members.repository';
import { NOTE_SHARE_ENTITIES } from './notes/note-shares.repository';
import { NOTE_ENTITIES } from './notes/notes.repository';

/** notes-service's tables as TypeORM entities (read and written through the query builder, see notes.repository.ts). */
export const database: DatabaseSpec = { entities: [...NOTE_ENTITIES, ...NOTE_SHARE_ENTITIES, ...NOTE_MEMBER_ENTITIES], migrations };

/** `node main.js migrate`: creates micronote_notes (or DB_NAME) and applies the migrations. */
export function migrate(env: Env = validate(process.env)): Promise<string[]> {
  return runMigrations(env, database);
}
