import { TodoIcon } from '../../../components/icons';
import { LoadMore } from '../../../components/load-more';
import { EmptyState, ErrorState, SkeletonList } from '../../../components/states';
import { useTodos } from '../api/get-todos';
import type { TodoFilters } from '../api/todo-keys';
import { TodoItem } from './todo-item';

function emptyTitle(filters: TodoFilters, readOnly: boolean): string {
  if (filters.priority || filters.category) return 'No todos match these filters';
  if (filters.listId && filters.status === 'all')
    return readOnly ? 'Nothing in this list yet' : 'Nothing in this list yet: add a todo above';
  return {
    all: 'Nothing to do yet: add your first todo above',
    active: 'All done. Nothing left open',
    completed: 'Nothing completed yet',
    overdue: 'Nothing overdue',
  }[filters.status];
}

export function TodoList({ filters, categories, readOnly = false }: { filters: TodoFilters; categories: string[]; readOnly?: boolean }) {
  const todos = useTodos(filters);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = todos;

  if (todos.isPending) return <SkeletonList rows={4} label="Loading todos" />;
  if (todos.isError) return <ErrorState title="Todos could not be loaded" error={todos.error} onRetry={() => void todos.refetch()} />;
  const items = todos.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <EmptyState icon={<TodoIcon />} title={emptyTitle(filters, readOnly)} />;

  return (
    <>
      <ul className="todo-list" aria-label="Todos">
        {items.map((todo) => (
          <TodoItem key={todo.id} todo={todo} categories={categories} readOnly={readOnly} />
        ))}
      </ul>
      <LoadMore
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={fetchNextPage}
        label="Loading more todos"
      />
    </>
  );
}
