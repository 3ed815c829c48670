import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { ApiError, errorMessage } from './api-error';
import { toast } from './toast';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: {
      /** Do not toast this query's errors (the component shows them). */
      silent?: boolean;
    };
    mutationMeta: {
      /** Do not toast this mutation's errors (a form shows them by its fields, a 409 gets its own UI). */
      silent?: boolean;
    };
  }
}

/** 401s end in the sign-in page, aborted requests are nobody's business: neither is toasted. */
function worthToasting(error: unknown): boolean {
  return !(error instanceof ApiError && error.status === 401) && (error as Error)?.name !== 'AbortError';
}

/** Client errors (4xx) are answers, not outages: retrying them cannot help. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 60_000, refetchOnWindowFocus: false, retry: shouldRetry },
      mutations: { retry: false },
    },
    // Errors are surfaced here, once, instead of in every component (STYLE §10).
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A failed first load is shown in place by the component; a failed background refetch is toasted.
        if (query.meta?.silent || !worthToasting(error) || query.state.data === undefined) return;
        toast.error(errorMessage(error));
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.silent || !worthToasting(error)) return;
        toast.error(errorMessage(error));
      },
    }),
  });
}
