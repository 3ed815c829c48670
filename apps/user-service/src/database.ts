import type { DatabaseSpec } from '@micronote/server-core';
import { runMigrations } from '@micronote/server-core';

import { AccountPurgeEntity } from './accounts/account-purge.entity';
import type { Env } from './config/env.validation';
import { validate } from './config/env.validation';
import { migrations } from './migrations';
import { NotificationEntity } from './notifications/notification.entity';
import { PushSubscriptionEntity } from './push/push-subscription.entity';
import { UserEntity } from './users/user.entity';

/** user-service's tables as TypeORM entities (repositories and the query builder). */
export const database: DatabaseSpec = {
  entities: [UserEntity, AccountPurgeEntity, NotificationEntity, PushSubscriptionEntity],
  migrations,
};

/** `node main.js migrate`: creates micronote_users (or DB_NAME) and applies the migrations. */
export function migrate(env: Env = validate(process.env)): Promise<string[]> {
  return runMigrations(env, database);
}
