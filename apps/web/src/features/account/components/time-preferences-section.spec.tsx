import type { User } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { TimePreferencesForm } from './time-preferences-section';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { patch: jest.fn() },
}));

const user: User = {
  id: '7',
  name: 'Ada',
  email: 'ada@example.com',
  username: 'ada',
  timeZone: null,
  locale: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function setup(u: User = user) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TimePreferencesForm user={u} />
    </QueryClientProvider>,
  );
}

describe(TimePreferencesForm.name, () => {
  beforeEach(() => {
    jest
      .mocked(api.patch)
      .mockReset()
      .mockImplementation(async (_path: string, body: unknown) => ({ ...user, ...(body as object) }));
  });
  afterEach(cleanup);

  it('offers the browser default and every zone Intl knows, and saves the choice with the locale', async () => {
    setup();
    const select = screen.getByLabelText('Time zone') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(select.options[0].textContent).toMatch(/^Browser default \(/);
    expect(select.options.length).toBeGreaterThan(300);
    const save = screen.getByRole('button', { name: 'Save time zone and language' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(select, { target: { value: 'Asia/Tokyo' } });
    fireEvent.change(screen.getByLabelText('Locale'), { target: { value: ' en-GB ' } });
    fireEvent.click(save);
    await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/users/me', { timeZone: 'Asia/Tokyo', locale: 'en-GB' }));
  });

  it('"Browser default" and an empty locale clear them (null); only what changed is sent', async () => {
    setup({ ...user, timeZone: 'Europe/Berlin', locale: 'de-DE' });
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save time zone and language' }));
    await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/users/me', { timeZone: null }));
    cleanup();
    setup({ ...user, timeZone: 'Europe/Berlin', locale: 'de-DE' });
    fireEvent.change(screen.getByLabelText('Locale'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save time zone and language' }));
    await waitFor(() => expect(api.patch).toHaveBeenLastCalledWith('/api/users/me', { locale: null }));
  });

  it('refuses a locale Intl does not accept, before asking the server', () => {
    setup();
    fireEvent.change(screen.getByLabelText('Locale'), { target: { value: 'english please' } });
    expect(screen.getByText(/Not a language tag this browser knows/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save time zone and language' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
