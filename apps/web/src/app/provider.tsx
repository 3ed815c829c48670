import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { Toaster } from '../components/toaster';
import { createQueryClient } from '../lib/query-client';
import { session } from '../lib/session';

export const queryClient = createQueryClient();

// Signing out (by the user, a refused refresh, another tab) drops every cached answer, so the
// next user of this browser never sees the previous one's notes.
session.subscribe(() => {
  if (session.get().status === 'signedOut') queryClient.clear();
});

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}
