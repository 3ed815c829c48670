import type { RenameTagResponse } from '@micronote/contracts';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { TagIcon } from '../../../components/icons';
import { plural } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useTags } from '../api/get-tags';
import type { NoteFilters } from '../api/note-keys';
import { useExpandedTags } from '../hooks/use-expanded-tags';
import { filtersSearch } from '../lib/filters-url';
import type { TagNode } from '../lib/tag-tree';
import { buildTagTree, isTagOrChild, renamedTag, tagAncestors } from '../lib/tag-tree';
import { RenameTagDialog } from './rename-tag-dialog';
import { TagTree } from './tag-tree';

function allTags(nodes: readonly TagNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    into.add(node.tag);
    allTags(node.children, into);
  }
  return into;
}

/**
 * The tags as a tree (`a/b` under `a`) with how many notes carry each; choosing one filters the
 * list by it and its sub-tags (choosing it again clears). Open parents are remembered in this
 * browser. Each tag's menu renames it (or merges it into another).
 */
export function TagFilter({ filters }: { filters: NoteFilters }) {
  const tags = useTags();
  const navigate = useNavigate();
  const labelId = useId();
  const { expanded, setExpanded } = useExpandedTags();
  const [renaming, setRenaming] = useState<string | null>(null);

  // The list's tag shows, even when no note has it any more.
  const tree = useMemo(() => {
    const counts = tags.data ?? [];
    return buildTagTree(filters.tag && !counts.some((t) => t.tag === filters.tag) ? [...counts, { tag: filters.tag, count: 0 }] : counts);
  }, [tags.data, filters.tag]);
  const known = useMemo(() => allTags(tree), [tree]);

  // A filter opened from a link or a reload shows its tag: its parents open.
  useEffect(() => {
    for (const parent of tagAncestors(filters.tag)) setExpanded(parent, true);
  }, [filters.tag, setExpanded]);

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
  if (tree.length === 0) return null;

  const select = (tag: string) => navigate({ pathname: '/notes', search: filtersSearch(filters, { tag: filters.tag === tag ? '' : tag }) });

  const renamed = (from: string, to: string, result: RenameTagResponse) => {
    setRenaming(null);
    // What was open under the old name stays open under the new one.
    for (const tag of expanded) {
      if (isTagOrChild(tag, from)) {
        setExpanded(tag, false);
        setExpanded(renamedTag(tag, from, to), true);
      }
    }
    for (const parent of tagAncestors(to)) setExpanded(parent, true);
    if (filters.tag && isTagOrChild(filters.tag, from))
      navigate({ pathname: '/notes', search: filtersSearch(filters, { tag: renamedTag(filters.tag, from, to) }) }, { replace: true });
    toast.success(`Renamed “${from}” to “${to}” on ${plural(result.notes, 'note')}`);
  };

  return (
    <nav className="tag-filter" aria-label="Filter by tag">
      <div className="tag-filter-head">
        <TagIcon width={14} height={14} className="tag-filter-icon" />
        <span id={labelId} className="tag-filter-title">
          Tags
        </span>
        <Link
          to={{ pathname: '/notes', search: filtersSearch(filters, { tag: '' }) }}
          className="chip chip-sm"
          aria-current={!filters.tag ? 'true' : undefined}
        >
          All
        </Link>
      </div>
      <TagTree
        nodes={tree}
        expanded={expanded}
        selected={filters.tag}
        labelledBy={labelId}
        onToggle={setExpanded}
        onSelect={select}
        onRename={setRenaming}
      />
      {renaming !== null && <RenameTagDialog tag={renaming} knownTags={known} onClose={() => setRenaming(null)} onRenamed={renamed} />}
    </nav>
  );
}
