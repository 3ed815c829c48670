import { useEffect, useRef } from 'react';

import { Spinner } from './states';

interface LoadMoreProps {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
  /** What the spinner announces, e.g. "Loading more notes". */
  label: string;
}

/**
 * The end of an infinite list: fetches the next page when it scrolls near the viewport, with a
 * "Load more" button for keyboards and browsers without IntersectionObserver.
 */
export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage, label }: LoadMoreProps) {
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: '200px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div ref={sentinel} className="note-list-end">
      {isFetchingNextPage ? (
        <Spinner inline label={label} />
      ) : hasNextPage ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => void fetchNextPage()}>
          Load more
        </button>
      ) : null}
    </div>
  );
}
