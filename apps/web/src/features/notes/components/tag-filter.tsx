import { Link } from 'react-router-dom';

import { TagIcon } from '../../../components/icons';
import { useTags } from '../api/get-tags';
import type { NoteFilters } from '../api/note-keys';
import { filtersSearch } from '../lib/filters-url';

/** The tags with how many notes carry each; choosing one filters the list (choosing it again clears). */
export function TagFilter({ filters }: { filters: NoteFilters }) {
  const tags = useTags();
  if (tags.isPending) return <div className="tag-filter tag-filter-loading" aria-hidden="true" />;
  if (tags.isError)
    return (
      <p className="tag-filter-error">
        Tags could not be loaded.{' '}
        <button type="button" className="link-btn" onClick={() => void tags.refetch()}>
          Retry
        </button>
      </p>
    );
  if (tags.data.length === 0 && !filters.tag) return null;
  const items = filters.tag && !tags.data.some((t) => t.tag === filters.tag) ? [...tags.data, { tag: filters.tag, count: 0 }] : tags.data;

  return (
    <nav className="tag-filter" aria-label="Filter by tag">
      <TagIcon width={14} height={14} className="tag-filter-icon" />
      <ul className="tag-filter-list">
        <li>
          <Link
            to={{ pathname: '/notes', search: filtersSearch(filters, { tag: '' }) }}
            className="chip"
            aria-current={!filters.tag ? 'true' : undefined}
          >
            All
          </Link>
        </li>
        {items.map(({ tag, count }) => (
          <li key={tag}>
            <Link
              to={{ pathname: '/notes', search: filtersSearch(filters, { tag: filters.tag === tag ? '' : tag }) }}
              className="chip"
              aria-current={filters.tag === tag ? 'true' : undefined}
              aria-label={`${tag}, ${count} ${count === 1 ? 'note' : 'notes'}`}
            >
              {tag} <span className="chip-count">{count}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
