import type { Todo } from '@micronote/contracts';

import { TodoIcon } from '../../../components/icons';
import { LoadMore } from '../../../components/load-more';
import { EmptyState, ErrorState, SkeletonList } from '../../../components/states';
import { usePreferences } from '../../../lib/preferences';
import { useNow } from '../../../lib/use-now';
import { useTodos } from '../api/get-todos';
import type { TodoFilters } from '../api/todo-keys';
import { todoKeys } from '../api/todo-keys';
import { groupByDue } from '../lib/due-groups';
import { SortableTodos } from './sortable-todos';
import { TodoItem } from './todo-item';

function emptyTitle(filters: TodoFilters, readOnly: boolean): string {
  if (filters.priority || filters.category) return 'No todos match these filters';
  if (filters.view === 'today') return 'Nothing due today, nothing overdue';
  if (filters.view === 'upcoming') return 'Nothing due in the next 7 days';
  if (filters.listId && filters.status === 'all')
    return readOnly ? 'Nothing in this list yet' : 'Nothing in this list yet: add a todo above';
  return {
    all: 'Nothing to do yet: add your first todo above',
    active: 'All done. Nothing left open',
    completed: 'Nothing completed yet',
    overdue: 'Nothing overdue',
  }[filters.status];
}

/**
 * The todos of the filters, as the server orders them: in All (default order) in sections by due
 * day in the user's zone (Overdue, Today, Upcoming, Later, No date, then Completed); in Today and
 * Upcoming as one list; in "My order" as one list to reorder by drag and drop or the keyboard.
 */
export function TodoList({ filters, categories, readOnly = false }: { filters: TodoFilters; categories: string[]; readOnly?: boolean }) {
  const todos = useTodos(filters);
  const { timeZone } = usePreferences();
  const now = useNow();
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = todos;

  if (todos.isPending) return <SkeletonList rows={4} label="Loading todos" />;
  if (todos.isError) return <ErrorState title="Todos could not be loaded" error={todos.error} onRetry={() => void todos.refetch()} />;
  const items = todos.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <EmptyState icon={<TodoIcon />} title={emptyTitle(filters, readOnly)} />;

  const row = (todo: Todo) => <TodoItem key={todo.id} todo={todo} categories={categories} readOnly={readOnly} />;
  let body;
  if (filters.order === 'manual' && !readOnly) {
    body = (
      <SortableTodos
        todos={items}
        queryKey={todoKeys.list(filters)}
        label="Todos in my order"
        renderItem={(todo, sortable) => <TodoItem todo={todo} categories={categories} sortable={sortable} />}
      />
    );
  } else if (filters.view === 'all' && filters.order === 'default') {
    body = groupByDue(items, { now, timeZone }).map((section) => (
      <section key={section.group} className="todo-section" aria-labelledby={`todo-section-${section.group}`} data-group={section.group}>
        <h3 id={`todo-section-${section.group}`} className={`todo-section-title todo-section-${section.group}`}>
          {section.label} <span className="todo-section-count">{section.todos.length}</span>
        </h3>
        <ul className="todo-list" aria-label={section.label}>
          {section.todos.map(row)}
        </ul>
      </section>
    ));
  } else {
    body = (
      <ul className="todo-list" aria-label="Todos">
        {items.map(row)}
      </ul>
    );
  }

  return (
    <>
      {body}
      <LoadMore
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={fetchNextPage}
        label="Loading more todos"
      />
    </>
  );
}
