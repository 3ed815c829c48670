import type { DatabaseSpec } from '@micronote/server-core';
import { runMigrations } from '@micronote/server-core';

import type { Env } from './config/env.validation';
import { validate } from './config/env.validation';
import { migrations } from './migrations';
import { TODO_ENTITIES } from './todos/todos.repository';

/** todos-service's tables as TypeORM entities (read and written through the query builder, see todos.repository.ts). */
export const database: DatabaseSpec = { entities: TODO_ENTITIES, migrations };

/** `node main.js migrate`: creates micronote_todos (or DB_NAME) and applies the migrations. */
export function migrate(env: Env = validate(process.env)): Promise<string[]> {
  return runMigrations(env, database);
}
