import { Link, useSearchParams } from 'react-router-dom';

import { TodoIcon } from '../../../components/icons';
import { PageTitle } from '../../../components/page-title';
import { EmptyState } from '../../../components/states';
import { useTodoLists } from '../api/get-todo-lists';
import { useTodoStats } from '../api/get-todo-stats';
import type { TodoFilters } from '../api/todo-keys';
import { todoFilters } from '../api/todo-keys';
import { TodoFilterBar } from './todo-filter-bar';
import { TodoList } from './todo-list';
import { TodoListHeader } from './todo-list-header';
import { TodoListPicker } from './todo-list-picker';
import { TodoQuickAdd } from './todo-quick-add';
import { TodoStatsPanel } from './todo-stats-panel';

const SUBTITLE = {
  all: 'Open ones first, by when they are due.',
  today: 'Due today, and anything overdue.',
  upcoming: 'Due today and in the next 7 days.',
  manual: 'In your order: drag the handle, or press Space on it and use the arrow keys.',
};

/**
 * The todos screen: the list picker (All / each todo list, yours and shared with you), quick add
 * (into the open list), the view (All / Today / Upcoming), filters and the order (kept in the URL,
 * with `?list=`), the todos, and the stats beside them. A list shared with you as viewer is read-only.
 */
export function TodosPage() {
  const [params, setParams] = useSearchParams();
  const filters = todoFilters({
    status: params.get('status'),
    priority: params.get('priority'),
    category: params.get('category'),
    listId: params.get('list'),
    view: params.get('view'),
    order: params.get('order'),
  });
  const stats = useTodoStats();
  const lists = useTodoLists();
  const categories = Object.keys(stats.data?.byCategory ?? {}).sort((a, b) => a.localeCompare(b));
  const list = filters.listId ? lists.data?.find((l) => l.id === filters.listId) : undefined;
  const missing = filters.listId !== '' && lists.isSuccess && !list;
  const readOnly = list?.role === 'viewer';

  const setFilters = (change: Partial<TodoFilters>) => {
    const next = { ...filters, ...change };
    const search = new URLSearchParams();
    if (next.listId) search.set('list', next.listId);
    if (next.view !== 'all') search.set('view', next.view);
    if (next.order !== 'default') search.set('order', next.order);
    if (next.status !== 'all') search.set('status', next.status);
    if (next.priority) search.set('priority', next.priority);
    if (next.category) search.set('category', next.category);
    setParams(search, { replace: true });
  };

  return (
    <main id="main" className="page">
      <PageTitle>{`${list ? list.name : 'Todos'} · MicroNote`}</PageTitle>
      <div className="page-header">
        <div>
          <h1 className="page-title">Todos</h1>
          <p className="page-subtitle">{SUBTITLE[filters.order === 'manual' ? 'manual' : filters.view]}</p>
        </div>
      </div>
      <div className="todos-layout">
        <div>
          <TodoListPicker lists={lists} selectedId={filters.listId} onSelect={(listId) => setFilters({ listId })} />
          {missing ? (
            <section className="card">
              <EmptyState icon={<TodoIcon />} title="This list does not exist or is not shared with you">
                <Link to="/todos">Show all todos</Link>
              </EmptyState>
            </section>
          ) : (
            <>
              {list && <TodoListHeader list={list} onGone={() => setFilters({ listId: '' })} />}
              {!readOnly && (filters.listId === '' || list) && (
                <section className="card" aria-label="Add a todo">
                  <TodoQuickAdd categories={categories} listId={list?.id} listName={list?.name} />
                </section>
              )}
              <TodoFilterBar filters={filters} categories={categories} onChange={setFilters} />
              <section className="card" aria-label="Todo list">
                <TodoList filters={filters} categories={categories} readOnly={readOnly} />
              </section>
            </>
          )}
        </div>
        <TodoStatsPanel stats={stats} />
      </div>
    </main>
  );
}
