import { CreateTodos1764000000002 } from './1764000000002-create-todos';

/** Every migration of todos-service, oldest first. */
export const migrations = [CreateTodos1764000000002];
