import type { CreatedNoteShare, MembersResponse, NoteShare } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { expiryInstant, ShareButton } from './share-dialog';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), delete: jest.fn(), patch: jest.fn() },
}));

const NOTE = { id: '5', title: 'Trip plan' };
const OLD: NoteShare = { id: 's1', createdAt: '2026-01-01T10:00:00.000Z', expiresAt: null };
const EXPIRED: NoteShare = { id: 's0', createdAt: '2026-01-01T10:00:00.000Z', expiresAt: '2026-01-02T10:00:00.000Z' };
const MEMBERS: MembersResponse = { owner: { id: '1', username: 'ann', displayName: 'Ann' }, items: [] };
const CREATED: CreatedNoteShare = {
  id: 's2',
  createdAt: '2026-06-01T10:00:00.000Z',
  expiresAt: null,
  token: 'tok_abc',
  url: 'http://localhost/s/tok_abc',
};

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ShareButton note={NOTE} />
    </QueryClientProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Share' }));
  return screen.getByRole('dialog', { name: 'Share “Trip plan”' });
}

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

describe(ShareButton.name, () => {
  const writeText = jest.fn();
  beforeEach(() => {
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string) => (path.endsWith('/members') ? MEMBERS : { items: [OLD, EXPIRED] }));
    jest.mocked(api.post).mockReset().mockResolvedValue(CREATED);
    jest.mocked(api.delete).mockReset().mockResolvedValue(undefined);
    writeText.mockReset().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });
  afterEach(cleanup);

  it('lists the active links only, with when they were created and expire', async () => {
    const dialog = setup();
    const list = await within(dialog).findByRole('list', { name: 'Active links' });
    expect(api.get).toHaveBeenCalledWith('/api/notes/5/shares', expect.anything());
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toMatch(/Created .*Never expires/);
  });

  it('creates a link with the chosen expiry, shows it once and copies it', async () => {
    const dialog = setup();
    await within(dialog).findByRole('list', { name: 'Active links' });
    fireEvent.change(within(dialog).getByLabelText('Link expires'), { target: { value: '7' } });
    const before = Date.now();
    // The list the server answers afterwards (never with the token).
    jest
      .mocked(api.get)
      .mockImplementation(async (path: string) =>
        path.endsWith('/members') ? MEMBERS : { items: [{ id: 's2', createdAt: CREATED.createdAt, expiresAt: null }, OLD] },
      );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create link' }));

    const link = (await within(dialog).findByLabelText('New share link')) as HTMLInputElement;
    expect(link.value).toBe('http://localhost/s/tok_abc');
    const [path, body] = jest.mocked(api.post).mock.calls[0] as [string, { expiresAt: string }];
    expect(path).toBe('/api/notes/5/shares');
    const days = (new Date(body.expiresAt).getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    // Listed.
    await waitFor(() =>
      expect(within(within(dialog).getByRole('list', { name: 'Active links' })).getAllByRole('listitem')).toHaveLength(2),
    );

    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('http://localhost/s/tok_abc'));
    expect((await within(dialog).findByText('Copied to the clipboard.')).getAttribute('role')).toBe('status');
  });

  it('without a clipboard selects the link for Ctrl+C', async () => {
    writeText.mockRejectedValue(new Error('NotAllowedError'));
    const dialog = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create link' }));
    const link = (await within(dialog).findByLabelText('New share link')) as HTMLInputElement;
    expect(api.post).toHaveBeenCalledWith('/api/notes/5/shares', { expiresAt: null });
    link.setSelectionRange(0, 0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    await within(dialog).findByText(/the link is selected, press Ctrl\+C/);
    expect([link.selectionStart, link.selectionEnd]).toEqual([0, link.value.length]);
  });

  it('a custom date needs a day from today on; the link then lasts to its end', async () => {
    const dialog = setup();
    fireEvent.change(within(dialog).getByLabelText('Link expires'), { target: { value: 'custom' } });
    fireEvent.change(within(dialog).getByLabelText('Expiry date'), { target: { value: '2000-01-01' } });
    fireEvent.submit(within(dialog).getByRole('button', { name: 'Create link' }).closest('form') as HTMLFormElement);
    expect(within(dialog).getByRole('alert').textContent).toBe('Choose a day from today on.');
    expect(api.post).not.toHaveBeenCalled();

    const end = expiryInstant('custom', '2030-03-04', Date.now());
    expect(end).toBe(new Date(2030, 2, 4, 23, 59, 59, 999).toISOString());
    expect(expiryInstant('never', '')).toBeNull();
    expect(expiryInstant('1', '', 0)).toBe(new Date(86_400_000).toISOString());
    expect(expiryInstant('custom', '')).toBeUndefined();
  });

  it('shows why a link could not be created', async () => {
    jest.mocked(api.post).mockRejectedValue(new ApiError(400, { message: 'A note has at most 20 share links', code: 'VALIDATION' }));
    const dialog = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create link' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The link could not be created: A note has at most 20 share links');
    expect(within(dialog).queryByLabelText('New share link')).toBeNull();
  });

  it('revokes a link after a confirmation, and says so when that fails', async () => {
    const dialog = setup();
    const list = await within(dialog).findByRole('list', { name: 'Active links' });
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke' }));
    // Asked first; "Keep" backs out.
    expect(api.delete).not.toHaveBeenCalled();
    fireEvent.click(within(list).getByRole('button', { name: 'Keep' }));
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke' }));

    jest.mocked(api.delete).mockRejectedValueOnce(new ApiError(503, { message: 'unavailable', code: 'UNAVAILABLE' }));
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke link' }));
    expect((await within(list).findByRole('alert')).textContent).toMatch(/^Not revoked: MicroNote is briefly unavailable/);

    jest.mocked(api.get).mockImplementation(async (path: string) => (path.endsWith('/members') ? MEMBERS : { items: [] }));
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke link' }));
    await waitFor(() => expect(api.delete).toHaveBeenLastCalledWith('/api/notes/5/shares/s1'));
    expect(await within(dialog).findByText('No active links. This note is private.')).toBeTruthy();
  });

  it('says when the links cannot be loaded, with a retry', async () => {
    let failed = false;
    jest.mocked(api.get).mockImplementation(async (path: string) => {
      if (path.endsWith('/members')) return MEMBERS;
      if (failed) return { items: [OLD] };
      failed = true;
      throw new ApiError(0, undefined, 'Network error');
    });
    const dialog = setup();
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/The links could not be loaded.*Cannot reach the server/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByRole('list', { name: 'Active links' })).toBeTruthy();
  });

  it('shows the People section to the owner, and only it (with Leave) to a member', async () => {
    const dialog = setup();
    expect(await within(dialog).findByRole('list', { name: 'People with access' })).toBeTruthy();
    expect(within(dialog).getByLabelText('Invite by username or e-mail')).toBeTruthy();
    cleanup();
    jest.mocked(api.get).mockClear();

    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const access = { role: 'viewer' as const, owner: MEMBERS.owner, members: 1 };
    render(
      <QueryClientProvider client={client}>
        <ShareButton note={{ ...NOTE, access }} />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'People' }));
    const memberDialog = screen.getByRole('dialog', { name: 'People in “Trip plan”' });
    expect(await within(memberDialog).findByRole('button', { name: 'Leave' })).toBeTruthy();
    expect(within(memberDialog).queryByText('Public links')).toBeNull();
    expect(within(memberDialog).queryByLabelText('Invite by username or e-mail')).toBeNull();
    expect(api.get).not.toHaveBeenCalledWith('/api/notes/5/shares', expect.anything());
  });

  it('Done closes the dialog', async () => {
    const dialog = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
