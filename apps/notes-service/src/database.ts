import type { DatabaseSpec } from '@micronote/server-core';
import { runMigrations } from '@micronote/server-core';

import type { Env } from './config/env.validation';
import { validate } from './config/env.validation';
import { migrations } from './migrations';

/** notes-service reads and writes with SQL of its own (see notes.repository.ts); no entity classes. */
export const database: DatabaseSpec = { entities: [], migrations };

/** `node main.js migrate`: creates micronote_notes (or DB_NAME) and applies the migrations. */
export function migrate(env: Env = validate(process.env)): Promise<string[]> {
  return runMigrations(env, database);
}
