import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app';
import { queryClient } from './app/provider';
import { restoreSession } from './lib/auth';

// Exchange a stored refresh token for an access token while React renders the first frame.
void restoreSession(queryClient);

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
