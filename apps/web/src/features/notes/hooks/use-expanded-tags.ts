import { useCallback, useState } from 'react';

/** Where the tag tree remembers which parents are open (per browser, as a JSON array of tags). */
export const EXPANDED_TAGS_KEY = 'micronote.tagTree.expanded';

function read(): Set<string> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(EXPANDED_TAGS_KEY) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : []);
  } catch {
    // Unreadable or blocked storage: everything starts closed.
    return new Set();
  }
}

function write(expanded: ReadonlySet<string>): void {
  try {
    window.localStorage.setItem(EXPANDED_TAGS_KEY, JSON.stringify([...expanded]));
  } catch {
    // Storage full or blocked: the tree still works, it only forgets on reload.
  }
}

/** The open parents of the tag tree, kept in localStorage. */
export function useExpandedTags(): { expanded: ReadonlySet<string>; setExpanded: (tag: string, open: boolean) => void } {
  const [expanded, setState] = useState<ReadonlySet<string>>(read);
  const setExpanded = useCallback((tag: string, open: boolean) => {
    setState((current) => {
      if (current.has(tag) === open) return current;
      const next = new Set(current);
      if (open) next.add(tag);
      else next.delete(tag);
      write(next);
      return next;
    });
  }, []);
  return { expanded, setExpanded };
}
