import { CreateTodos1764000000002 } from './1764000000002-create-todos';
import { CreateTodoUsage1764600000002 } from './1764600000002-create-todo-usage';
import { CreateTodoLists1765400000101 } from './1765400000101-create-todo-lists';
import { TodoDayAndOrder1765500000001 } from './1765500000001-todo-day-and-order';
import { TodoRecurrence1765500000002 } from './1765500000002-todo-recurrence';
import { TodoReminders1765800000001 } from './1765800000001-todo-reminders';

/** Every migration of todos-service, oldest first. */
export const migrations = [
  CreateTodos1764000000002,
  CreateTodoUsage1764600000002,
  CreateTodoLists1765400000101,
  TodoDayAndOrder1765500000001,
  TodoRecurrence1765500000002,
  TodoReminders1765800000001,
];
