import { status as GrpcStatus } from '@grpc/grpc-js';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import { DataSource } from 'typeorm';

import { rejection, startNotesTestService } from './support/notes-test-service';

/**
 * Per-user quotas of notes-service (MAX_NOTES_PER_USER, MAX_BYTES_PER_USER), on a fresh MariaDB
 * database through real gRPC, with small limits: 5 notes, 20,000 bytes.
 */
describe('notes-service quotas (gRPC, real MariaDB)', () => {
  let service: Awaited<ReturnType<typeof startNotesTestService>>;
  let call: typeof service.call;
  let dataSource: DataSource;
  let nextUser = 5000;
  const newUser = () => String(nextUser++);

  const create = (userId: string, title: string, text = 'x', tags: string[] = []) =>
    call('createNote', { userId, title, text, tags, isPinned: false, clientId: '' }) as Promise<notesV1.Note>;
  const count = async (userId: string) =>
    Number((await dataSource.query('SELECT COUNT(*) AS n FROM notes WHERE user_id = ?', [userId]))[0].n);
  const exported = (id: string, text = 'imported'): notesV1.Note => ({
    id,
    title: `imported ${id}`,
    text,
    tags: [],
    isPinned: false,
    isArchived: false,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  beforeAll(async () => {
    service = await startNotesTestService({ MAX_NOTES_PER_USER: '5', MAX_BYTES_PER_USER: '20000' }, 20_000);
    call = service.call;
    dataSource = service.app.get(DataSource);
  });

  afterAll(() => service?.close());

  it('refuses the note past MAX_NOTES_PER_USER with PERMISSION_DENIED / QUOTA_EXCEEDED; the trash counts, deleting for good frees a place', async () => {
    const user = newUser();
    const notes = [];
    for (let i = 0; i < 5; i++) notes.push(await create(user, `n${i}`));
    expect(await rejection(create(user, 'one too many'))).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      domainCode: 'QUOTA_EXCEEDED',
      details: { quota: 'notes', limit: 5 },
    });
    expect(await count(user)).toBe(5);
    // Another user is not affected.
    await create(newUser(), 'someone else');
    // A note in the trash still takes its place...
    await call('deleteNote', { userId: user, id: notes[0].id, permanent: false, clientId: '' });
    expect((await rejection(create(user, 'still too many'))).domainCode).toBe('QUOTA_EXCEEDED');
    // ...until it is deleted for good.
    await call('deleteNote', { userId: user, id: notes[0].id, permanent: true, clientId: '' });
    await create(user, 'fits again');
    expect(await count(user)).toBe(5);
  });

  it('lets exactly one of many parallel creates take the last place (race-safe)', async () => {
    const user = newUser();
    for (let i = 0; i < 4; i++) await create(user, `n${i}`);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => create(user, `racer ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason.code).toBe(GrpcStatus.PERMISSION_DENIED);
    }
    expect(await count(user)).toBe(5);
  });

  it('lets exactly five of eight parallel first creates of a new user through (the usage row is created under the race)', async () => {
    const user = newUser();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => create(user, `first ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(await count(user)).toBe(5);
  });

  it('counts bytes (title + text + tags): a create or an update that grows past MAX_BYTES_PER_USER is refused, shrinking is fine', async () => {
    const user = newUser();
    const big = await create(user, 'big', 'é'.repeat(7_000)); // 14,000 bytes
    expect(await rejection(create(user, 'too big', 'x'.repeat(6_000)))).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      domainCode: 'QUOTA_EXCEEDED',
      details: { quota: 'bytes', limit: 20_000 },
    });
    const small = await create(user, 'small', 'x'.repeat(5_000));
    expect((await rejection(call('updateNote', { userId: user, id: small.id, text: 'x'.repeat(7_000), clientId: '' }))).domainCode).toBe(
      'QUOTA_EXCEEDED',
    );
    expect((await call('getNote', { userId: user, id: small.id })).text).toHaveLength(5_000);
    // Shrinking the big one makes room.
    await call('updateNote', { userId: user, id: big.id, text: 'short', clientId: '' });
    await call('updateNote', { userId: user, id: small.id, text: 'x'.repeat(7_000), clientId: '' });
  });

  it('refuses an import that would go over the quota whole, and imports one that fits', async () => {
    const user = newUser();
    await create(user, 'already here');
    const tooMany = ['a', 'b', 'c', 'd', 'e'].map((id) => exported(id));
    expect(await rejection(call('importNotes', { userId: user, notes: tooMany }))).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      domainCode: 'QUOTA_EXCEEDED',
    });
    expect(await count(user)).toBe(1);
    expect(await call('importNotes', { userId: user, notes: tooMany.slice(0, 4) })).toEqual({ created: 4, skipped: 0 });
    // Notes imported before are skipped, so they need no room.
    expect(await call('importNotes', { userId: user, notes: tooMany.slice(0, 4) })).toEqual({ created: 0, skipped: 4 });
    expect((await rejection(create(user, 'full'))).domainCode).toBe('QUOTA_EXCEEDED');
    // Too many bytes is refused whole too.
    const other = newUser();
    expect(
      (
        await rejection(
          call('importNotes', { userId: other, notes: [exported('x', 'y'.repeat(15_000)), exported('z', 'y'.repeat(6_000))] }),
        )
      ).domainCode,
    ).toBe('QUOTA_EXCEEDED');
    expect(await count(other)).toBe(0);
  });

  it('gives the space of purged trash and of a deleted account back', async () => {
    const { TrashPurger } = await import('../src/notes/trash-purger');
    const user = newUser();
    const notes = [];
    for (let i = 0; i < 5; i++) notes.push(await create(user, `n${i}`));
    await call('deleteNote', { userId: user, id: notes[0].id, permanent: false, clientId: '' });
    await call('deleteNote', { userId: user, id: notes[1].id, permanent: false, clientId: '' });
    const clock = service.app.get<Clock>(CLOCK);
    const now = clock.now.bind(clock);
    clock.now = () => new Date(now().getTime() + 31 * 24 * 3600 * 1000);
    try {
      await service.app.get(TrashPurger).purge();
    } finally {
      clock.now = now;
    }
    await create(user, 'again 1');
    await create(user, 'again 2');
    expect((await rejection(create(user, 'full'))).domainCode).toBe('QUOTA_EXCEEDED');
    await call('deleteUserNotes', { userId: user });
    for (let i = 0; i < 5; i++) await create(user, `fresh ${i}`);
  });
});
