import type { Member, MembersResponse } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import type * as ApiClient from '../../lib/api-client';
import { api, ApiError } from '../../lib/api-client';
import { PeopleSection } from './people-section';

jest.mock('../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const ANN = { id: '1', username: 'ann', displayName: 'Ann' };
const BOB = { id: '2', username: 'bob', displayName: null };
const CAT = { id: '3', username: 'cat', displayName: 'Cat' };
const member = (user: Member['user'], role: Member['role'], status: Member['status'] = 'accepted'): Member => ({
  user,
  role,
  status,
  invitedAt: '2026-01-01T10:00:00.000Z',
  acceptedAt: status === 'accepted' ? '2026-01-01T11:00:00.000Z' : null,
});
const MEMBERS: MembersResponse = { owner: ANN, items: [member(BOB, 'editor')] };

function setup(role: 'owner' | 'editor' | 'viewer', kind: 'note' | 'list' = 'list', onLeft = jest.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <PeopleSection item={{ kind, id: '7' }} role={role} onLeft={onLeft} />
    </QueryClientProvider>,
  );
  return { onLeft };
}

describe(PeopleSection.name, () => {
  beforeEach(() => {
    jest.mocked(api.get).mockReset().mockResolvedValue(MEMBERS);
    jest
      .mocked(api.post)
      .mockReset()
      .mockResolvedValue(member(CAT, 'viewer', 'pending'));
    jest.mocked(api.patch).mockReset().mockResolvedValue(member(BOB, 'viewer'));
    jest.mocked(api.delete).mockReset().mockResolvedValue(undefined);
  });
  afterEach(cleanup);

  it('lists the owner and the members of a list', async () => {
    setup('owner');
    const list = await screen.findByRole('list', { name: 'People with access' });
    expect(api.get).toHaveBeenCalledWith('/api/lists/7/members', expect.anything());
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringMatching(/Ann.*@ann.*Owner/), expect.stringMatching(/bob/)]);
  });

  it('invites by username with a role (Enter submits) and lists the invitee as invited', async () => {
    setup('owner', 'note');
    await screen.findByRole('list', { name: 'People with access' });
    const input = screen.getByLabelText('Invite by username or e-mail');
    fireEvent.change(input, { target: { value: ' cat ' } });
    fireEvent.change(screen.getByLabelText('Role of the person invited'), { target: { value: 'viewer' } });
    jest.mocked(api.get).mockResolvedValue({ ...MEMBERS, items: [...MEMBERS.items, member(CAT, 'viewer', 'pending')] });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notes/7/members', { user: 'cat', role: 'viewer' }));
    const row = await screen.findByRole('listitem', { name: 'Cat' });
    expect(row.textContent).toContain('Invited');
    expect((input as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('status').textContent).toMatch(/Cat is invited/);
  });

  it.each([
    ['USER_NOT_FOUND', 404, 'Nobody has that username or e-mail.'],
    ['ALREADY_MEMBER', 409, 'They are already in it (or invited).'],
    ['CANNOT_SHARE_WITH_SELF', 400, 'That is you: you are the owner.'],
    ['TOO_MANY_MEMBERS', 409, 'It is shared with as many people as it can be: remove someone first.'],
  ])('shows %s inline by the field', async (code, status, text) => {
    jest.mocked(api.post).mockRejectedValueOnce(new ApiError(status, { message: 'x', code }));
    setup('owner');
    await screen.findByRole('list', { name: 'People with access' });
    const input = screen.getByLabelText('Invite by username or e-mail');
    fireEvent.change(input, { target: { value: 'zed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText(text)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    // Typing again clears it.
    fireEvent.change(input, { target: { value: 'zed2' } });
    expect(screen.queryByText(text)).toBeNull();
  });

  it('changes a role and removes a member (owner)', async () => {
    setup('owner');
    await screen.findByRole('list', { name: 'People with access' });
    fireEvent.change(screen.getByLabelText('Role of bob'), { target: { value: 'viewer' } });
    await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/lists/7/members/2', { role: 'viewer' }));
    jest.mocked(api.get).mockResolvedValue({ owner: ANN, items: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Remove bob' }));
    await waitFor(() => expect(api.delete).toHaveBeenCalledWith('/api/lists/7/members/2'));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'bob' })).toBeNull());
  });

  it('shows a member who is in it and lets them leave (after asking)', async () => {
    const { onLeft } = setup('viewer');
    await screen.findByRole('list', { name: 'People with access' });
    expect(screen.queryByLabelText('Invite by username or e-mail')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(screen.getByRole('listitem', { name: 'bob' }).textContent).toContain('Can edit');
    fireEvent.click(screen.getByRole('button', { name: 'Leave' }));
    fireEvent.click(screen.getByRole('button', { name: 'Leave list' }));
    await waitFor(() => expect(api.delete).toHaveBeenCalledWith('/api/lists/7/members/me'));
    await waitFor(() => expect(onLeft).toHaveBeenCalled());
  });

  it('says when the people cannot be loaded, with a retry', async () => {
    jest.mocked(api.get).mockRejectedValueOnce(new ApiError(0, undefined, 'Network error'));
    setup('owner');
    expect((await screen.findByRole('alert')).textContent).toMatch(/The people could not be loaded.*Cannot reach the server/);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('list', { name: 'People with access' })).toBeTruthy();
  });

  it('says while the people load, and that only the owner is in it yet', async () => {
    let answer: (members: MembersResponse) => void = () => undefined;
    jest.mocked(api.get).mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    setup('owner');
    expect(screen.getByText('Loading people…').closest('[role="status"]')).toBeTruthy();
    // The invite form is there at once: the owner can type while the list loads.
    expect(screen.getByLabelText('Invite by username or e-mail')).toBeTruthy();
    answer({ owner: ANN, items: [] });
    expect(await screen.findByText('Only you. Invite someone above.')).toBeTruthy();
  });

  it('says why a role change or a removal failed, on the member’s row', async () => {
    jest.mocked(api.patch).mockRejectedValueOnce(new ApiError(404, { code: 'MEMBER_NOT_FOUND', message: 'bob is no longer a member' }));
    setup('owner');
    const row = await screen.findByRole('listitem', { name: 'bob' });
    fireEvent.change(within(row).getByLabelText('Role of bob'), { target: { value: 'viewer' } });
    expect((await within(row).findByRole('alert')).textContent).toContain('bob is no longer a member');
  });

  it('Leave asks first from the keyboard: focus on Stay, and back on Leave after staying', async () => {
    setup('editor', 'note');
    await screen.findByRole('list', { name: 'People with access' });
    fireEvent.click(screen.getByRole('button', { name: 'Leave' }));
    const group = screen.getByRole('group', { name: 'Confirm leaving' });
    expect(group.textContent).toContain('Leave this note?');
    expect(document.activeElement).toBe(within(group).getByRole('button', { name: 'Stay' }));
    fireEvent.click(within(group).getByRole('button', { name: 'Stay' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Leave' }));
    expect(api.delete).not.toHaveBeenCalled();
  });
});
