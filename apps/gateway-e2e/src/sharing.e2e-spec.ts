// Sharing notes with people: invitations, roles, and what every role may do (BOLA for each role).
import type { MembersResponse, Note } from '@micronote/contracts';

import { api, register } from './support/api';
import type { Tab } from './support/realtime';
import { connect, waitUntil } from './support/realtime';

type User = Awaited<ReturnType<typeof register>>;

const as = (user: User) => ({ token: user.accessToken });

async function newNote(owner: User, title = 'Plan'): Promise<Note> {
  const created = await api<Note>('POST', '/api/notes', { ...as(owner), body: { title, text: '- [ ] one\n- [ ] two', tags: ['work'] } });
  expect(created.status).toBe(201);
  return created.body;
}

async function invite(owner: User, noteId: string, who: User, role: 'viewer' | 'editor') {
  return api('POST', `/api/notes/${noteId}/members`, { ...as(owner), body: { user: who.credentials.username, role } });
}

async function share(owner: User, noteId: string, who: User, role: 'viewer' | 'editor'): Promise<void> {
  expect((await invite(owner, noteId, who, role)).status).toBe(201);
  expect((await api('POST', `/api/notes/${noteId}/members/me/accept`, as(who))).status).toBe(200);
}

describe('sharing notes with people', () => {
  let owner: User;
  let editor: User;
  let viewer: User;
  let pending: User;
  let stranger: User;
  let note: Note;

  beforeAll(async () => {
    [owner, editor, viewer, pending, stranger] = await Promise.all([register(), register(), register(), register(), register()]);
    note = await newNote(owner);
    await share(owner, note.id, editor, 'editor');
    await share(owner, note.id, viewer, 'viewer');
    expect((await invite(owner, note.id, pending, 'editor')).status).toBe(201);
  });

  it('invites by username or e-mail (any case), answers the member by name, never by e-mail', async () => {
    const other = await newNote(owner, 'By e-mail');
    const invited = await api('POST', `/api/notes/${other.id}/members`, {
      ...as(owner),
      body: { user: stranger.credentials.email.toUpperCase(), role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({
      user: { id: stranger.user.id, username: stranger.credentials.username, displayName: stranger.credentials.name },
      role: 'viewer',
      status: 'pending',
      invitedAt: expect.any(String),
      acceptedAt: null,
    });
    expect(JSON.stringify(invited.body)).not.toContain('@');
    // Declined: gone, and the note is a 404 for them again.
    expect((await api('DELETE', `/api/notes/${other.id}/members/me`, as(stranger))).status).toBe(204);
    expect((await api('GET', `/api/notes/${other.id}`, as(stranger))).status).toBe(404);
    expect((await api<MembersResponse>('GET', `/api/notes/${other.id}/members`, as(owner))).body.items).toEqual([]);
  });

  it('lists the owner and members (pending too) for the owner and accepted members', async () => {
    const members = await api<MembersResponse>('GET', `/api/notes/${note.id}/members`, as(owner));
    expect(members.status).toBe(200);
    expect(members.body.owner).toEqual({ id: owner.user.id, username: owner.credentials.username, displayName: owner.credentials.name });
    expect(members.body.items.map((m) => [m.user.username, m.role, m.status]).sort()).toEqual(
      [
        [editor.credentials.username, 'editor', 'accepted'],
        [viewer.credentials.username, 'viewer', 'accepted'],
        [pending.credentials.username, 'editor', 'pending'],
      ].sort(),
    );
    expect((await api('GET', `/api/notes/${note.id}/members`, as(viewer))).status).toBe(200);
    expect((await api('GET', `/api/notes/${note.id}/members`, as(pending))).status).toBe(404);
    expect((await api('GET', `/api/notes/${note.id}/members`, as(stranger))).status).toBe(404);
  });

  it('shows the note with `access` to each role, and in "Shared with me" with the owner by name', async () => {
    const forOwner = await api<Note>('GET', `/api/notes/${note.id}`, as(owner));
    expect(forOwner.body.access).toEqual({ role: 'owner', owner: expect.objectContaining({ id: owner.user.id }), members: 2 });
    const forEditor = await api<Note>('GET', `/api/notes/${note.id}`, as(editor));
    expect(forEditor.body.access).toEqual({
      role: 'editor',
      owner: { id: owner.user.id, username: owner.credentials.username, displayName: owner.credentials.name },
      members: 2,
    });
    const shared = await api('GET', '/api/notes/shared', as(viewer));
    expect(shared.status).toBe(200);
    expect(shared.body.items.map((n: Note) => [n.id, n.access?.role, n.access?.owner.username])).toEqual([
      [note.id, 'viewer', owner.credentials.username],
    ]);
    // In the owner's own list: `access` on the shared note only (an unshared note has none).
    const ownerList = await api('GET', '/api/notes', as(owner));
    const accessOf = (id: string) => ownerList.body.items.find((n: Note) => n.id === id)?.access;
    expect(accessOf(note.id)).toMatchObject({ role: 'owner', members: 2 });
    const unshared = await newNote(owner, 'Alone');
    const again = await api('GET', '/api/notes', as(owner));
    expect(again.body.items.find((n: Note) => n.id === unshared.id)).not.toHaveProperty('access');
    // Not the member's own notes: their list, search and tags stay theirs.
    const own = await api('GET', '/api/notes', as(viewer));
    expect(own.body.items.map((n: Note) => n.id)).not.toContain(note.id);
    expect((await api('GET', '/api/notes/shared', as(pending))).body.items).toEqual([]);
  });

  it('lists pending invitations with the owner by name', async () => {
    const invitations = await api('GET', '/api/shared/invitations', as(pending));
    expect(invitations.status).toBe(200);
    expect(invitations.body.items).toEqual([
      {
        kind: 'note',
        id: note.id,
        title: 'Plan',
        role: 'editor',
        owner: expect.objectContaining({ username: owner.credentials.username }),
        invitedAt: expect.any(String),
      },
    ]);
    expect((await api('GET', '/api/shared/invitations', as(editor))).body.items).toEqual([]);
  });

  describe('what each role may do', () => {
    const editBody = (version?: number) => ({ title: 'Plan (edited)', ...(version ? { version } : {}) });

    it('an editor edits the text and ticks, reads revisions; may not pin, archive, trash, delete, share or manage members', async () => {
      const current = (await api<Note>('GET', `/api/notes/${note.id}`, as(editor))).body;
      const edited = await api<Note>('PATCH', `/api/notes/${note.id}`, {
        ...as(editor),
        body: { text: `${current.text}\n- [ ] three`, version: current.version },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.text).toContain('three');
      const tick = await api('POST', `/api/notes/${note.id}/tasks`, { ...as(editor), body: { index: 0, text: 'one', checked: true } });
      expect(tick.status).toBe(200);
      expect((await api('GET', `/api/notes/${note.id}/revisions`, as(editor))).status).toBe(200);
      const refused: [string, string, unknown?][] = [
        ['PATCH', `/api/notes/${note.id}`, { isPinned: true }],
        ['PATCH', `/api/notes/${note.id}`, { isArchived: true }],
        ['DELETE', `/api/notes/${note.id}`],
        ['DELETE', `/api/notes/${note.id}?permanent=true`],
        ['POST', `/api/notes/${note.id}/shares`, {}],
        ['GET', `/api/notes/${note.id}/shares`],
        ['POST', `/api/notes/${note.id}/members`, { user: stranger.credentials.username, role: 'viewer' }],
        ['PATCH', `/api/notes/${note.id}/members/${viewer.user.id}`, { role: 'editor' }],
        ['DELETE', `/api/notes/${note.id}/members/${viewer.user.id}`],
      ];
      for (const [method, path, body] of refused) {
        const response = await api(method, path, { ...as(editor), body });
        expect([method, path, response.status, response.body.code]).toEqual([method, path, 403, 'INSUFFICIENT_ROLE']);
      }
      const after = await api<Note>('GET', `/api/notes/${note.id}`, as(owner));
      expect(after.body).toMatchObject({ isPinned: false, isArchived: false, deletedAt: null });
      expect((await api<MembersResponse>('GET', `/api/notes/${note.id}/members`, as(owner))).body.items).toHaveLength(3);
    });

    it('a viewer reads the note and its revisions; every write is 403 INSUFFICIENT_ROLE and changes nothing', async () => {
      const before = (await api<Note>('GET', `/api/notes/${note.id}`, as(viewer))).body;
      expect(before.text).toContain('one');
      expect((await api('GET', `/api/notes/${note.id}/revisions`, as(viewer))).status).toBe(200);
      expect((await api('GET', `/api/notes/${note.id}/revisions/1`, as(viewer))).status).toBe(200);
      const refused: [string, string, unknown?][] = [
        ['PATCH', `/api/notes/${note.id}`, editBody(before.version)],
        ['PUT', `/api/notes/${note.id}`, editBody()],
        ['POST', `/api/notes/${note.id}/tasks`, { index: 1, text: 'two', checked: true }],
        ['POST', `/api/notes/${note.id}/revisions/1/restore`],
        ['DELETE', `/api/notes/${note.id}`],
        ['POST', `/api/notes/${note.id}/shares`, {}],
        ['POST', `/api/notes/${note.id}/members`, { user: stranger.credentials.username, role: 'viewer' }],
      ];
      for (const [method, path, body] of refused) {
        const response = await api(method, path, { ...as(viewer), body });
        expect([method, path, response.status, response.body.code]).toEqual([method, path, 403, 'INSUFFICIENT_ROLE']);
      }
      expect((await api<Note>('GET', `/api/notes/${note.id}`, as(owner))).body.version).toBe(before.version);
    });

    it('a pending invitee and a stranger get 404 on every route of the note, as for a note that does not exist', async () => {
      const routes: [string, string, unknown?][] = [
        ['GET', `/api/notes/${note.id}`],
        ['PATCH', `/api/notes/${note.id}`, { title: 'x' }],
        ['DELETE', `/api/notes/${note.id}`],
        ['POST', `/api/notes/${note.id}/tasks`, { index: 0, text: 'one', checked: false }],
        ['GET', `/api/notes/${note.id}/revisions`],
        ['GET', `/api/notes/${note.id}/members`],
        ['POST', `/api/notes/${note.id}/members`, { user: editor.credentials.username, role: 'viewer' }],
        ['PATCH', `/api/notes/${note.id}/members/${viewer.user.id}`, { role: 'editor' }],
        ['DELETE', `/api/notes/${note.id}/members/${viewer.user.id}`],
      ];
      for (const who of [pending, stranger]) {
        for (const [method, path, body] of routes) {
          const response = await api(method, path, { ...as(who), body });
          expect([method, path, response.status, response.body.code]).toEqual([method, path, 404, 'NOTE_NOT_FOUND']);
        }
      }
      // The stranger has no invitation to accept or decline.
      expect((await api('POST', `/api/notes/${note.id}/members/me/accept`, as(stranger))).status).toBe(404);
      expect((await api('DELETE', `/api/notes/${note.id}/members/me`, as(stranger))).status).toBe(404);
    });
  });

  it('refuses bad invitations with a clear 4xx', async () => {
    const cases: [unknown, number, string][] = [
      [{ user: owner.credentials.username, role: 'viewer' }, 400, 'CANNOT_SHARE_WITH_SELF'],
      [{ user: editor.credentials.username, role: 'viewer' }, 409, 'ALREADY_MEMBER'],
      [{ user: 'no-such-user-anywhere', role: 'viewer' }, 404, 'USER_NOT_FOUND'],
      [{ user: stranger.credentials.username, role: 'owner' }, 400, 'VALIDATION_FAILED'],
      [{ user: '', role: 'viewer' }, 400, 'VALIDATION_FAILED'],
      [{ role: 'viewer' }, 400, 'VALIDATION_FAILED'],
      [{ user: 'x'.repeat(300), role: 'viewer' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const response = await api('POST', `/api/notes/${note.id}/members`, { ...as(owner), body });
      expect([body, response.status, response.body.code]).toEqual([body, status, code]);
      expect(String(response.body.message)).not.toBe('');
    }
    expect((await api('PATCH', `/api/notes/${note.id}/members/${viewer.user.id}`, { ...as(owner), body: { role: 'admin' } })).status).toBe(
      400,
    );
    expect(
      (await api('PATCH', `/api/notes/${note.id}/members/${stranger.user.id}`, { ...as(owner), body: { role: 'editor' } })).body.code,
    ).toBe('MEMBER_NOT_FOUND');
    expect((await api('DELETE', `/api/notes/${note.id}/members/not-an-id`, as(owner))).status).toBe(400);
    expect((await api('GET', '/api/notes/shared?limit=0', as(owner))).status).toBe(400);
  });

  it('tells every member live, and a removed member loses the note at once', async () => {
    const other = await newNote(owner, 'Live');
    await share(owner, other.id, editor, 'editor');
    const tabs: Tab[] = await Promise.all([connect(owner.accessToken), connect(editor.accessToken)]);
    try {
      const [ownerTab, editorTab] = tabs;
      const current = (await api<Note>('GET', `/api/notes/${other.id}`, as(editor))).body;
      expect(
        (await api('PATCH', `/api/notes/${other.id}`, { ...as(editor), body: { text: 'edited by the editor', version: current.version } }))
          .status,
      ).toBe(200);
      const seen = (tab: Tab, type: string) => tab.events.find((e) => e.type === type && e.noteId === other.id);
      await waitUntil(() => Boolean(seen(ownerTab, 'NOTE_UPDATED')));
      expect(seen(ownerTab, 'NOTE_UPDATED')?.note?.text).toBe('edited by the editor');
      expect(
        (await api('PATCH', `/api/notes/${other.id}/members/${editor.user.id}`, { ...as(owner), body: { role: 'viewer' } })).body.role,
      ).toBe('viewer');
      expect((await api('DELETE', `/api/notes/${other.id}/members/${editor.user.id}`, as(owner))).status).toBe(204);
      await waitUntil(() => editorTab.events.some((e) => e.type === 'NOTE_MEMBERS_CHANGED' && e.member?.role === null));
      expect((await api('GET', `/api/notes/${other.id}`, as(editor))).status).toBe(404);
      expect((await api('GET', '/api/notes/shared', as(editor))).body.items.map((n: Note) => n.id)).not.toContain(other.id);
    } finally {
      for (const tab of tabs) tab.close();
    }
  });

  it("a member's edits are kept in the note's revisions, which the owner reads", async () => {
    const revisions = await api('GET', `/api/notes/${note.id}/revisions`, as(owner));
    expect(revisions.status).toBe(200);
    expect(revisions.body.items.length).toBeGreaterThanOrEqual(2);
  });
});
