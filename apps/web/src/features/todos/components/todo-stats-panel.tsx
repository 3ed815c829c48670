import type { TodoStats } from '@micronote/contracts';
import type { UseQueryResult } from '@tanstack/react-query';

import { ErrorState, SkeletonList } from '../../../components/states';
import { PRIORITIES } from '../api/todo-keys';
import { PRIORITY_LABEL } from '../lib/priority';

const MAX_CATEGORIES = 6;

/** A ring showing the completion rate (inline SVG; the numbers are also in the text around it). */
function CompletionDonut({ rate, completed, total }: { rate: number; completed: number; total: number }) {
  const r = 38;
  const circumference = 2 * Math.PI * r;
  const percent = Math.round(rate * 100);
  return (
    <svg width="104" height="104" viewBox="0 0 104 104" role="img" aria-label={`${percent}% completed: ${completed} of ${total}`}>
      <circle className="donut-track" cx="52" cy="52" r={r} fill="none" strokeWidth="12" />
      <circle
        className="donut-value"
        cx="52"
        cy="52"
        r={r}
        fill="none"
        strokeWidth="12"
        strokeLinecap={percent > 0 ? 'round' : 'butt'}
        strokeDasharray={`${circumference * rate} ${circumference}`}
        transform="rotate(-90 52 52)"
      />
      <text className="donut-label" x="52" y="55" textAnchor="middle">
        {percent}%
      </text>
      <text className="donut-sub" x="52" y="70" textAnchor="middle">
        done
      </text>
    </svg>
  );
}

function Bars({
  title,
  rows,
  max,
}: {
  title: string;
  rows: { key: string; label: string; value: number; className?: string }[];
  max: number;
}) {
  return (
    <div>
      <h3 className="stats-heading">{title}</h3>
      <ul className="bars">
        {rows.map((row) => (
          <li key={row.key} className="bar">
            <span className="bar-label" title={row.label}>
              {row.label}
            </span>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
              <rect className="bar-track" x="0" y="0" width="100" height="10" rx="5" />
              <rect
                className={`bar-fill ${row.className ?? ''}`}
                x="0"
                y="0"
                width={max > 0 ? (row.value / max) * 100 : 0}
                height="10"
                rx="5"
              />
            </svg>
            <span className="bar-value">{row.value}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Totals, completion rate and the spread by priority and category; refreshed as todos change anywhere. */
export function TodoStatsPanel({ stats }: { stats: UseQueryResult<TodoStats> }) {
  return (
    <aside className="card stats" aria-labelledby="stats-title">
      <h2 id="stats-title" className="card-title">
        Overview
      </h2>
      {stats.isPending ? (
        <SkeletonList rows={3} label="Loading statistics" />
      ) : stats.isError ? (
        <ErrorState title="Statistics could not be loaded" error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <StatsBody stats={stats.data} />
      )}
    </aside>
  );
}

function StatsBody({ stats }: { stats: TodoStats }) {
  const categories = Object.entries(stats.byCategory)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_CATEGORIES);
  const priorityMax = Math.max(...PRIORITIES.map((p) => stats.byPriority[p] ?? 0));
  return (
    <>
      <dl className="stats-grid" aria-live="polite">
        <div className="stat">
          <dt>Total</dt>
          <dd>{stats.total}</dd>
        </div>
        <div className="stat">
          <dt>Completed</dt>
          <dd>{stats.completed}</dd>
        </div>
        <div className="stat">
          <dt>Pending</dt>
          <dd>{stats.pending}</dd>
        </div>
        <div className="stat stat-overdue">
          <dt>Overdue</dt>
          <dd>{stats.overdue}</dd>
        </div>
      </dl>
      <div className="stats-chart">
        <CompletionDonut rate={stats.completionRate} completed={stats.completed} total={stats.total} />
        <p className="page-subtitle">
          Completion rate <strong>{Math.round(stats.completionRate * 100)}%</strong>
          <br />
          {stats.completed} of {stats.total} done
        </p>
      </div>
      <Bars
        title="By priority"
        max={priorityMax}
        rows={PRIORITIES.map((p) => ({ key: p, label: PRIORITY_LABEL[p], value: stats.byPriority[p] ?? 0, className: `bar-fill-${p}` }))}
      />
      {categories.length > 0 && (
        <Bars title="By category" max={categories[0][1]} rows={categories.map(([name, value]) => ({ key: name, label: name, value }))} />
      )}
    </>
  );
}
