import { CreateUsers1764000000000 } from './1764000000000-create-users';

/** Every migration of user-service, oldest first. */
export const migrations = [CreateUsers1764000000000];
