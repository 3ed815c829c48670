import type { User } from '@micronote/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { Toaster } from '../components/toaster';
import * as webPushModule from '../features/notifications/lib/web-push';
import { todoKeys } from '../features/todos/api/todo-keys';
import { clearReminders } from '../features/todos/reminders/reminder-store';
import { followLocale } from '../i18n/i18n';
import { authKeys } from '../lib/auth';
import { followUser, preferences } from '../lib/preferences';
import { createQueryClient } from '../lib/query-client';
import { session } from '../lib/session';
import { provideWebPush } from '../lib/web-push';
import { UpdatePrompt } from './pwa/update-prompt';
import { webPushControlFrom } from './web-push-adapter';

export const queryClient = createQueryClient();

// Browser notifications for reminders: the Web Push module behind the settings' port.
provideWebPush(webPushControlFrom(webPushModule));

// The signed-in user's time zone and locale (else the browser's) follow the cached user, wherever
// it comes from (sign-in, the profile form, USER_UPDATED from another tab). Another zone moves
// "today": the todo views, which the server filters in it, refetch.
const meHash = JSON.stringify(authKeys.me());
queryClient.getQueryCache().subscribe((event) => {
  if (event.query.queryHash !== meHash) return;
  const zone = preferences.get().timeZone;
  followUser(event.type === 'removed' ? null : (event.query.state.data as User | undefined));
  if (preferences.get().timeZone !== zone) void queryClient.invalidateQueries({ queryKey: todoKeys.lists() });
});

// The UI speaks the language of that locale (German loads on first use).
void followLocale(preferences.get().locale);
preferences.subscribe(() => void followLocale(preferences.get().locale));

// Signing out (by the user, a refused refresh, another tab) drops every cached answer, so the
// next user of this browser never sees the previous one's notes.
session.subscribe(() => {
  if (session.get().status === 'signedOut') {
    queryClient.clear();
    clearReminders();
  }
});

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster />
      <UpdatePrompt />
    </QueryClientProvider>
  );
}
