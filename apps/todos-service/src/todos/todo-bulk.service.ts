import type { TodoBulkAction } from '@micronote/contracts';
import { TODO_BULK_ACTIONS, TODO_LIMITS } from '@micronote/contracts';
import type { todosV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import { checkUserId, isId } from '@micronote/server-data';
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
    const { ids, action } = request;
    const { maxIds } = TODO_LIMITS.bulk;
    if (ids.length === 0 || ids.length > maxIds) throw TodoErrors.invalid(`ids must hold 1 to ${maxIds} ids`);
    if (!ids.every(isId)) throw TodoErrors.invalid('each of ids must be a positive integer id');
    if (new Set(ids).size !== ids.length) throw TodoErrors.invalid('ids must not repeat an id');
    if (!(TODO_BULK_ACTIONS as readonly string[]).includes(action))
      throw TodoErrors.invalid(`action must be one of ${TODO_BULK_ACTIONS.join(', ')}`);
    const fields = { priority: request.priority, dueDate: request.dueDate, allDay: request.allDay, category: request.category };
    const given = Object.values(fields).some((value) => value !== undefined);
    if (action === 'update' && !given) throw TodoErrors.invalid('update needs fields (priority, dueDate, allDay or category)');
    if (action !== 'update' && given) throw TodoErrors.invalid('fields go with update only');
    // A bad field is every todo's: refused as a whole, before any todo changes.
    if (fields.priority !== undefined) checkPriority(fields.priority);
    if (fields.dueDate?.value !== undefined) parseInstant(fields.dueDate.value, 'dueDate');
    if (fields.category) checkCategory(fields.category.value);
    const items: todosV1.BulkTodoResult[] = [];
    for (const id of ids) {
      try {
        await this.apply(userId, id, action as TodoBulkAction, fields, request.clientId);
        items.push({ id, grpcCode: GrpcStatus.OK, code: '' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        items.push({ id, grpcCode: error.status, code: error.code });
      }
    }
    return { items };
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
