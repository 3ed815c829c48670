import { CreateUsers1764000000000 } from './1764000000000-create-users';
import { CreateAccountPurges1764000000002 } from './1764000000002-create-account-purges';
import { CreateNotifications1765600000001 } from './1765600000001-create-notifications';
import { AddUserTimeZoneAndLocale1765700000001 } from './1765700000001-add-user-time-zone-and-locale';
import { CreatePushSubscriptions1765800000001 } from './1765800000001-create-push-subscriptions';

/** Every migration of user-service, oldest first. */
export const migrations = [
  CreateUsers1764000000000,
  CreateAccountPurges1764000000002,
  CreateNotifications1765600000001,
  AddUserTimeZoneAndLocale1765700000001,
  CreatePushSubscriptions1765800000001,
];
