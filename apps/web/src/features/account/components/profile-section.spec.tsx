import type { User } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { ProfileForm } from './profile-section';

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

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ProfileForm user={user} />
    </QueryClientProvider>,
  );
}

const PASSWORD_LABEL = 'Current password for the new email';

describe(ProfileForm.name, () => {
  beforeEach(() => {
    jest
      .mocked(api.patch)
      .mockReset()
      .mockImplementation(async (_path: string, body: unknown) => ({ ...user, ...(body as object) }));
  });
  afterEach(cleanup);

  it('asks for the current password only when the e-mail changes, and sends it', async () => {
    setup();
    expect(screen.queryByLabelText(PASSWORD_LABEL)).toBeNull();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'new@example.com' } });
    const save = screen.getByRole('button', { name: 'Save profile' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(PASSWORD_LABEL), { target: { value: 'my password' } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() =>
      expect(api.patch).toHaveBeenCalledWith('/api/users/me', { email: 'new@example.com', currentPassword: 'my password' }),
    );
  });

  it('a name change sends no password', async () => {
    setup();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Ada King' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ADA@example.com' } });
    expect(screen.queryByLabelText(PASSWORD_LABEL)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/users/me', { name: 'Ada King', email: 'ADA@example.com' }));
  });
});
