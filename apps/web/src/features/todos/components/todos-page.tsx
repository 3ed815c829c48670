import { useSearchParams } from 'react-router-dom';

import { useTodoStats } from '../api/get-todo-stats';
import type { TodoFilters } from '../api/todo-keys';
import { todoFilters } from '../api/todo-keys';
import { TodoFilterBar } from './todo-filter-bar';
import { TodoList } from './todo-list';
import { TodoQuickAdd } from './todo-quick-add';
import { TodoStatsPanel } from './todo-stats-panel';

/** The todos screen: quick add, filters (kept in the URL), the list, and the stats beside it. */
export function TodosPage() {
  const [params, setParams] = useSearchParams();
  const filters = todoFilters({ status: params.get('status'), priority: params.get('priority'), category: params.get('category') });
  const stats = useTodoStats();
  const categories = Object.keys(stats.data?.byCategory ?? {}).sort((a, b) => a.localeCompare(b));

  const setFilters = (change: Partial<TodoFilters>) => {
    const next = { ...filters, ...change };
    const search = new URLSearchParams();
    if (next.status !== 'all') search.set('status', next.status);
    if (next.priority) search.set('priority', next.priority);
    if (next.category) search.set('category', next.category);
    setParams(search, { replace: true });
  };

  return (
    <main id="main" className="page">
      <title>Todos · MicroNote</title>
      <div className="page-header">
        <div>
          <h1 className="page-title">Todos</h1>
          <p className="page-subtitle">Open ones first, soonest due at the top.</p>
        </div>
      </div>
      <div className="todos-layout">
        <div>
          <section className="card" aria-label="Add a todo">
            <TodoQuickAdd categories={categories} />
          </section>
          <TodoFilterBar filters={filters} categories={categories} onChange={setFilters} />
          <section className="card" aria-label="Todo list">
            <TodoList filters={filters} categories={categories} />
          </section>
        </div>
        <TodoStatsPanel stats={stats} />
      </div>
    </main>
  );
}
