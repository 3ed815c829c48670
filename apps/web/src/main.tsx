import './styles.css';
import './i18n/i18n';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app';
import { queryClient } from './app/provider';
import { registerServiceWorker } from './app/pwa/service-worker';
import { isPublicPath } from './app/router';
import { restoreSession } from './lib/auth';

// Exchange a stored refresh token for an access token while React renders the first frame; not
// on a shared note's public page (`/s/:token`), which works without a session and starts none.
if (!isPublicPath(window.location.pathname)) void restoreSession(queryClient);

// The app shell from cache (offline too) and Web Push: one worker for the whole origin.
registerServiceWorker();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
