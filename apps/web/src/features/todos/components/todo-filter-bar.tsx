import type { TodoPriority } from '@micronote/contracts';

import type { TodoFilters, TodoOrder, TodoStatus, TodoViewName } from '../api/todo-keys';

const VIEW_LABELS: Record<TodoViewName, string> = { all: 'All', today: 'Today', upcoming: 'Upcoming' };
const STATUS_LABELS: Record<TodoStatus, string> = { all: 'Any status', active: 'Active', completed: 'Completed', overdue: 'Overdue' };

export function TodoFilterBar({
  filters,
  categories,
  onChange,
}: {
  filters: TodoFilters;
  categories: string[];
  onChange: (change: Partial<TodoFilters>) => void;
}) {
  return (
    <div className="todo-filters">
      <div className="segmented" role="group" aria-label="View">
        {(Object.keys(VIEW_LABELS) as TodoViewName[]).map((view) => (
          <button
            key={view}
            type="button"
            aria-pressed={filters.view === view}
            // Today and Upcoming are open todos: the status goes back to any.
            onClick={() => onChange(view === 'all' ? { view } : { view, status: 'all' })}
          >
            {VIEW_LABELS[view]}
          </button>
        ))}
      </div>
      {filters.view === 'all' && (
        <div className="segmented" role="group" aria-label="Show">
          {(Object.keys(STATUS_LABELS) as TodoStatus[]).map((status) => (
            <button key={status} type="button" aria-pressed={filters.status === status} onClick={() => onChange({ status })}>
              {STATUS_LABELS[status]}
            </button>
          ))}
        </div>
      )}
      <div className="todo-filter-selects">
        <label className="inline-field">
          Priority
          <select className="select" value={filters.priority} onChange={(e) => onChange({ priority: e.target.value as TodoPriority | '' })}>
            <option value="">Any</option>
            <option value="high">High</option>
            <option value="medium">Medium</option>
            <option value="low">Low</option>
          </select>
        </label>
        <label className="inline-field">
          Category
          <select className="select" value={filters.category} onChange={(e) => onChange({ category: e.target.value })}>
            <option value="">Any</option>
            {/* A category in the URL that no todo has (any more) still shows as chosen. */}
            {[...new Set([...categories, ...(filters.category ? [filters.category] : [])])].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Sort
          <select className="select" value={filters.order} onChange={(e) => onChange({ order: e.target.value as TodoOrder })}>
            <option value="default">Due date</option>
            <option value="manual">My order</option>
          </select>
        </label>
      </div>
    </div>
  );
}
