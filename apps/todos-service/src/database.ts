import type { DatabaseSpec } from '@micronote/server-core';
import { runMigrations } from '@micronote/server-core';

import type { Env } from './config/env.validation';
import { validate } from './config/env.validation';
import { migrations } from './migrations';

/** todos-service reads and writes with SQL of its own (see todos.repository.ts); no entity classes. */
export const database: DatabaseSpec = { entities: [], migrations };

/** `node main.js migrate`: creates micronote_todos (or DB_NAME) and applies the migrations. */
export function migrate(env: Env = validate(process.env)): Promise<string[]> {
  return runMigrations(env, database);
}
