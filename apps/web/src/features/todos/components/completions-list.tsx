import type { Todo } from '@micronote/contracts';

import { usePreferences } from '../../../lib/preferences';
import { useTodoCompletions } from '../api/get-todo-completions';
import { formatDue } from '../lib/due-format';

const completedFormats = new Map<string, Intl.DateTimeFormat>();
function formatCompleted(iso: string, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let f = completedFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    completedFormats.set(key, f);
  }
  return f.format(Date.parse(iso));
}

/** The past completions of a recurring todo (newest first, "Show more" for older ones), in the edit view. */
export function CompletionsList({ todo }: { todo: Pick<Todo, 'id' | 'allDay'> }) {
  const prefs = usePreferences();
  const query = useTodoCompletions(todo.id);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="completions" aria-labelledby={`completions-${todo.id}`} aria-busy={query.isPending || undefined}>
      <h3 id={`completions-${todo.id}`} className="completions-title">
        Completed before
      </h3>
      {query.isPending ? (
        <p className="field-hint">Loading…</p>
      ) : query.isError && items.length === 0 ? (
        <p className="field-error" role="alert">
          Could not load the history.{' '}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()}>
            Try again
          </button>
        </p>
      ) : items.length === 0 ? (
        <p className="field-hint">Not completed yet.</p>
      ) : (
        <>
          <ul className="completions-list">
            {items.map((c) => (
              <li key={c.id}>
                {c.dueDate ? (
                  <>
                    Due <time dateTime={c.dueDate}>{formatDue({ dueDate: c.dueDate, allDay: todo.allDay }, prefs)}</time>
                    {' · '}
                  </>
                ) : null}
                done <time dateTime={c.completedAt}>{formatCompleted(c.completedAt, prefs.locale, prefs.timeZone)}</time>
              </li>
            ))}
          </ul>
          {query.isFetchNextPageError && <p className="field-error">Could not load more.</p>}
          {query.hasNextPage && (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              disabled={query.isFetchingNextPage}
              onClick={() => void query.fetchNextPage()}
            >
              {query.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
