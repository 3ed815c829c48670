import type { notesV1 } from '@micronote/proto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { NoteMembersRepository } from '../src/notes/note-members.repository';
import { startNotesTestService } from './support/notes-test-service';

/** Sharing with people in notes-service: note_members, roleOf and the members RPCs, on real MariaDB. */
describe('note members (gRPC, real MariaDB)', () => {
  let service: Awaited<ReturnType<typeof startNotesTestService>>;
  let call: typeof service.call;
  let app: INestApplication;
  let dataSource: DataSource;
  let members: NoteMembersRepository;
  const OWNER = '2001';
  const EDITOR = '2002';
  const VIEWER = '2003';
  const PENDING = '2004';
  const STRANGER = '2005';

  const create = (userId: string, title: string) =>
    call('createNote', { userId, title, text: `${title} body`, tags: [], isPinned: false, clientId: '' }) as Promise<notesV1.Note>;
  const membersCount = async (noteId: string) =>
    Number((await dataSource.query('SELECT members FROM notes WHERE id = ?', [noteId]))[0].members);

  beforeAll(async () => {
    service = await startNotesTestService();
    ({ app, call } = service);
    const { NoteMembersRepository } = await import('../src/notes/note-members.repository');
    dataSource = app.get(DataSource);
    members = app.get(NoteMembersRepository);
  });

  afterAll(() => service?.close());

  describe('roleOf', () => {
    it('answers owner, the accepted role, or null (pending, stranger, no such note)', async () => {
      const note = await create(OWNER, 'roles');
      await dataSource.transaction(async (manager) => {
        const invitedAt = new Date();
        await members.invite({ itemId: note.id, userId: EDITOR, role: 'editor', invitedBy: OWNER, invitedAt }, manager);
        await members.invite({ itemId: note.id, userId: VIEWER, role: 'viewer', invitedBy: OWNER, invitedAt }, manager);
        await members.invite({ itemId: note.id, userId: PENDING, role: 'editor', invitedBy: OWNER, invitedAt }, manager);
        expect(await members.accept(note.id, EDITOR, invitedAt, manager)).toBe(true);
        expect(await members.accept(note.id, VIEWER, invitedAt, manager)).toBe(true);
        expect(await members.accept(note.id, VIEWER, invitedAt, manager)).toBe(false);
      });
      expect(await members.roleOf(OWNER, note.id)).toBe('owner');
      expect(await members.roleOf(EDITOR, note.id)).toBe('editor');
      expect(await members.roleOf(VIEWER, note.id)).toBe('viewer');
      expect(await members.roleOf(PENDING, note.id)).toBeNull();
      expect(await members.roleOf(STRANGER, note.id)).toBeNull();
      expect(await members.roleOf(OWNER, '987654321')).toBeNull();
      expect(await members.memberIds(note.id)).toEqual([EDITOR, VIEWER]);
      expect(await membersCount(note.id)).toBe(2);

      await dataSource.transaction(async (manager) => {
        expect(await members.setRole(note.id, VIEWER, 'editor', manager)).toBe(true);
        expect(await members.remove(note.id, EDITOR, manager)).toBe('accepted');
        expect(await members.remove(note.id, PENDING, manager)).toBe('pending');
        expect(await members.remove(note.id, PENDING, manager)).toBeUndefined();
      });
      expect(await members.roleOf(VIEWER, note.id, dataSource.manager)).toBe('editor');
      expect(await members.roleOf(EDITOR, note.id)).toBeNull();
      expect(await membersCount(note.id)).toBe(1);
    });

    it('removes every membership of a user (account deletion) and uncounts the accepted ones', async () => {
      const a = await create(OWNER, 'a');
      const b = await create(OWNER, 'b');
      await dataSource.transaction(async (manager) => {
        const now = new Date();
        await members.invite({ itemId: a.id, userId: STRANGER, role: 'viewer', invitedBy: OWNER, invitedAt: now }, manager);
        await members.invite({ itemId: b.id, userId: STRANGER, role: 'viewer', invitedBy: OWNER, invitedAt: now }, manager);
        await members.accept(a.id, STRANGER, now, manager);
      });
      const removed = await dataSource.transaction((manager) => members.removeAllOf(STRANGER, manager));
      expect(removed).toEqual([
        { itemId: a.id, ownerId: OWNER, status: 'accepted' },
        { itemId: b.id, ownerId: OWNER, status: 'pending' },
      ]);
      expect(await membersCount(a.id)).toBe(0);
      expect(await members.roleOf(STRANGER, a.id)).toBeNull();
    });
  });
});
