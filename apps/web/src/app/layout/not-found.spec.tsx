import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { ConnectionIndicator } from '../../components/connection-indicator';
import { followLocale } from '../../i18n/i18n';
import { NotFoundPage } from './not-found';

const renderPage = () =>
  render(
    <MemoryRouter>
      <NotFoundPage />
      <ConnectionIndicator />
    </MemoryRouter>,
  );

afterEach(async () => {
  cleanup();
  await followLocale('en-US');
});

describe('the shell in the user’s language', () => {
  it('speaks English by default', () => {
    renderPage();
    expect(screen.getByRole('heading', { name: 'This page does not exist' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to your notes' })).toBeTruthy();
  });

  it('speaks German for a German locale, with no raw key on the page', async () => {
    await followLocale('de-AT');
    const { container } = renderPage();
    expect(screen.getByRole('heading', { name: 'Diese Seite gibt es nicht' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Zu deinen Notizen' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/^Live-Updates: /);
    expect(container.textContent).not.toMatch(/\b(notFound|connection)\.\w+/);
  });
});
