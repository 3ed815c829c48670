import type { TodoPriority } from '@micronote/contracts';

import type { TodoFilters, TodoStatus } from '../api/todo-keys';

const STATUS_LABELS: Record<TodoStatus, string> = { all: 'All', active: 'Active', completed: 'Completed', overdue: 'Overdue' };

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
      <div className="segmented" role="group" aria-label="Show">
        {(Object.keys(STATUS_LABELS) as TodoStatus[]).map((status) => (
          <button key={status} type="button" aria-pressed={filters.status === status} onClick={() => onChange({ status })}>
            {STATUS_LABELS[status]}
          </button>
        ))}
      </div>
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
    </div>
  );
}
