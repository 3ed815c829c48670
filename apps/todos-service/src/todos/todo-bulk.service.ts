import type { TodoBulkAction } from '@micronote/contracts';
import { TODO_BULK_ACTIONS, TODO_LIMITS } from '@micronote/contracts';
import type { todosV1 } from '@micronote/proto';
import { bulkEach, checkUserId } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';

import { checkCategory, checkPriority, parseInstant } from './todo-input';
import { TodoErrors } from './todos.errors';
import { TodosService } from './todos.service';

/**
 * One action on many todos. Every todo goes through TodosService's own update or delete (its
 * access check, transaction, version bump, subtasks and event), one at a time in the order of
 * `ids`; a todo that fails (missing, not yours, a viewer's) fails alone with the code its single
 * call would have had. Nothing here writes todos with a statement of its own.
 */
@Injectable()
export class TodoBulkService {
  constructor(private readonly todos: TodosService) {}

  async bulk(request: todosV1.BulkTodosRequest): Promise<todosV1.BulkTodosResponse> {
    const userId = checkUserId(request.userId);
    const fields = { priority: request.priority, dueDate: request.dueDate, allDay: request.allDay, category: request.category };
    const check = (action: TodoBulkAction) => {
      const given = Object.values(fields).some((value) => value !== undefined);
      if (action === 'update' && !given) throw TodoErrors.invalid('update needs fields (priority, dueDate, allDay or category)');
      if (action !== 'update' && given) throw TodoErrors.invalid('fields go with update only');
      // A bad field is every todo's: refused as a whole, before any todo changes.
      if (fields.priority !== undefined) checkPriority(fields.priority);
      if (fields.dueDate?.value !== undefined) parseInstant(fields.dueDate.value, 'dueDate');
      if (fields.category) checkCategory(fields.category.value);
    };
    return bulkEach(request, { actions: TODO_BULK_ACTIONS, maxIds: TODO_LIMITS.bulk.maxIds, check }, (id, action) =>
      this.apply(userId, id, action, fields, request.clientId),
    );
  }

  private async apply(
    userId: string,
    id: string,
    action: TodoBulkAction,
    fields: Pick<todosV1.UpdateTodoRequest, 'priority' | 'dueDate' | 'allDay' | 'category'>,
    clientId: string,
  ): Promise<void> {
    switch (action) {
      case 'complete':
        await this.todos.update({ userId, id, clientId, timeZone: '', completed: true });
        return;
      case 'reopen':
        await this.todos.update({ userId, id, clientId, timeZone: '', completed: false });
        return;
      case 'update':
        await this.todos.update({ userId, id, clientId, timeZone: '', ...fields });
        return;
      case 'delete':
        await this.todos.delete({ userId, id, clientId });
        return;
    }
  }
}
