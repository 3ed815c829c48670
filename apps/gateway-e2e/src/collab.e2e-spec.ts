import { CollabRefusal } from '@micronote/contracts';
import * as Y from 'yjs';

import { api, register } from './support/api';
import type { CollabTab } from './support/collab';
import { awarenessUpdate, collabTab, converged, until } from './support/collab';
import { sleep, startSecondGateway } from './support/realtime';

type Registered = Awaited<ReturnType<typeof register>>;

async function createNote(owner: Registered, text = ''): Promise<string> {
  const created = await api('POST', '/api/notes', { token: owner.accessToken, body: { title: 'Live', text } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** The owner invites `member` as `role`, the member accepts (routes of "Sharing with people"). */
async function share(owner: Registered, noteId: string, member: Registered, role: 'editor' | 'viewer'): Promise<void> {
  const invited = await api('POST', `/api/notes/${noteId}/members`, {
    token: owner.accessToken,
    body: { user: member.credentials.username, role },
  });
  expect(invited.status).toBe(201);
  const accepted = await api('POST', `/api/notes/${noteId}/members/me/accept`, { token: member.accessToken });
  expect(accepted.status).toBe(200);
}

const restText = async (owner: Registered, noteId: string) =>
  (await api('GET', `/api/notes/${noteId}`, { token: owner.accessToken })).body.text as string;

describe('live collaboration', () => {
  const tabs: CollabTab[] = [];
  const open = async (user: Registered, noteId: string, url?: string) => {
    const tab = await collabTab(user.accessToken, noteId, url);
    tabs.push(tab);
    return tab;
  };
  const joined = async (user: Registered, noteId: string, url?: string) => {
    const tab = await open(user, noteId, url);
    const answer = await tab.join();
    expect(answer).toMatchObject({ ok: true });
    return tab;
  };
  afterEach(() => tabs.splice(0).forEach((tab) => tab.close()));

  /**
   * `ops` single-character edits at position 0, round-robin over the tabs, in rounds of `round`
   * (within a round the tabs have not seen each other's edits: concurrent edits at one position),
   * every 4th a delete. Each round waits for its acks (the per-socket rate limit is 200/s).
   */
  async function interleave(editors: CollabTab[], ops: number, round = 30): Promise<void> {
    for (let done = 0; done < ops; ) {
      for (let i = 0; i < round && done < ops; i++, done++) {
        const tab = editors[done % editors.length];
        if (done % 4 === 3 && tab.text.length > 0) tab.text.delete(0, 1);
        else tab.text.insert(0, String.fromCharCode(97 + (done % 26)));
      }
      await Promise.all(editors.map((tab) => tab.flush()));
    }
  }

  it('joins a note with its text, and two users on three tabs converge after 1,000 interleaved edits at one position; REST reads the same text', async () => {
    const alice = await register();
    const bob = await register();
    const noteId = await createNote(alice, 'start');
    await share(alice, noteId, bob, 'editor');
    const [a1, a2] = [await joined(alice, noteId), await joined(alice, noteId)];
    const b1 = await joined(bob, noteId);
    expect([a1.role, a2.role, b1.role]).toEqual(['owner', 'owner', 'editor']);
    expect(b1.text.toString()).toBe('start');

    await interleave([a1, a2, b1], 1000);
    const acks = tabs.flatMap((tab) => tab.acks);
    expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    await converged([a1, a2, b1]);
    const final = a1.text.toString();
    expect(final.length).toBeGreaterThan(500);
    expect(final.endsWith('start')).toBe(true);
    // REST: the plain text of the current state (set with every applied update, no checkpoint needed).
    expect(await restText(alice, noteId)).toBe(final);
    expect(await restText(bob, noteId)).toBe(final);
    // A fresh tab gets all of it from the join.
    const late = await joined(bob, noteId);
    expect(late.text.toString()).toBe(final);
  }, 180_000);

  it("refuses a viewer's update (FORBIDDEN) and it never lands; the viewer still sees the others' edits", async () => {
    const alice = await register();
    const vera = await register();
    const noteId = await createNote(alice, 'hello');
    await share(alice, noteId, vera, 'viewer');
    const owner = await joined(alice, noteId);
    const viewer = await joined(vera, noteId);
    expect(viewer.role).toBe('viewer');
    viewer.text.insert(0, 'HACKED ');
    const [ack] = await viewer.flush();
    expect(ack).toMatchObject({ ok: false, code: CollabRefusal.Forbidden });
    owner.text.insert(5, ' world');
    await owner.flush();
    await until(
      () => viewer.text.toString().includes('world'),
      () => viewer.text.toString(),
    );
    await sleep(200); // nothing else may arrive at the owner: the refused update was never relayed
    expect(owner.text.toString()).toBe('hello world');
    expect(await restText(alice, noteId)).toBe('hello world');
    // A fresh join does not bring it back either.
    const fresh = await joined(alice, noteId);
    expect(fresh.text.toString()).toBe('hello world');
  }, 60_000);

  it('removing an editor closes their session at once; their further updates and joins fail; a downgrade to viewer is announced', async () => {
    const alice = await register();
    const bob = await register();
    const carol = await register();
    const noteId = await createNote(alice, 'shared');
    await share(alice, noteId, bob, 'editor');
    await share(alice, noteId, carol, 'editor');
    const owner = await joined(alice, noteId);
    const editor = await joined(bob, noteId);
    const other = await joined(carol, noteId);
    editor.text.insert(0, 'bob: ');
    await editor.flush();

    expect((await api('DELETE', `/api/notes/${noteId}/members/${bob.user.id}`, { token: alice.accessToken })).status).toBe(204);
    await until(
      () => editor.closed.length > 0,
      () => 'no collab:closed',
    );
    expect(editor.closed).toEqual([{ noteId, reason: 'removed' }]);
    expect(await editor.sendRaw({ noteId, update: Y.encodeStateAsUpdate(editor.doc) })).toMatchObject({
      ok: false,
      code: CollabRefusal.NotJoined,
    });
    expect(await editor.join()).toMatchObject({ ok: false, code: CollabRefusal.NotFound });

    expect(
      (await api('PATCH', `/api/notes/${noteId}/members/${carol.user.id}`, { token: alice.accessToken, body: { role: 'viewer' } })).status,
    ).toBe(200);
    await until(
      () => other.roles.length > 0,
      () => 'no collab:role',
    );
    expect(other.roles).toEqual([{ noteId, role: 'viewer' }]);
    other.text.insert(0, 'carol ');
    expect(await other.flush()).toEqual([expect.objectContaining({ ok: false, code: CollabRefusal.Forbidden })]);
    await sleep(200);
    expect(owner.text.toString()).toBe('bob: shared');
  }, 60_000);

  it('a tab offline for 30 s with local edits re-joins, and both sides keep everything', async () => {
    const alice = await register();
    const noteId = await createNote(alice, 'base.');
    const stays = await joined(alice, noteId);
    const roams = await joined(alice, noteId);
    roams.disconnect();
    // Apart from each other (two inserts at one position would be ordered by client id).
    roams.text.insert(0, 'offline ');
    roams.text.insert(roams.text.length, ' tail');
    stays.text.insert(4, ' online');
    await stays.flush();
    await sleep(30_000);
    await roams.connect();
    expect(await roams.join()).toMatchObject({ ok: true });
    await roams.flush();
    expect(roams.refusals()).toEqual([]);
    await converged([stays, roams]);
    const text = stays.text.toString();
    expect(text).toBe('offline base online. tail');
    expect(await restText(alice, noteId)).toBe(text);
  }, 90_000);

  it('relays awareness to the others and announces a leaving tab as peer-left', async () => {
    const alice = await register();
    const noteId = await createNote(alice);
    const a = await joined(alice, noteId);
    const b = await joined(alice, noteId);
    await until(
      () => a.peersJoined > 0,
      () => 'no peer-joined',
    );
    b.awarenessRaw(awarenessUpdate(4242, 1, { user: { name: 'B' }, cursor: null }));
    await until(
      () => a.awareness.length > 0,
      () => 'no awareness',
    );
    expect(Buffer.from(a.awareness[0])).toEqual(Buffer.from(awarenessUpdate(4242, 1, { user: { name: 'B' }, cursor: null })));
    expect(b.awareness).toHaveLength(0);
    b.disconnect();
    await until(
      () => a.peersLeft.length > 0,
      () => 'no peer-left',
    );
    expect(a.peersLeft).toEqual([{ noteId, clientIds: [4242] }]);
  });

  it('refuses strangers (NOT_FOUND), garbage (INVALID) and updates before a join (NOT_JOINED), and the socket lives on', async () => {
    const alice = await register();
    const mallory = await register();
    const noteId = await createNote(alice, 'private');
    const stranger = await open(mallory, noteId);
    expect(await stranger.join()).toMatchObject({ ok: false, code: CollabRefusal.NotFound });
    expect(await stranger.sendRaw({ noteId, update: Y.encodeStateAsUpdate(stranger.doc) })).toMatchObject({
      ok: false,
      code: CollabRefusal.NotJoined,
    });
    const missing = await open(alice, '999999999999');
    expect(await missing.join()).toMatchObject({ ok: false, code: CollabRefusal.NotFound });

    const tab = await joined(alice, noteId);
    for (const request of [
      null,
      'text',
      { noteId: 'abc', update: new Uint8Array([1]) },
      { noteId, update: 'not binary' },
      { noteId, update: [1, 2, 3] },
      { noteId, update: new Uint8Array(0) },
      { noteId, update: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03]) },
      { noteId, update: Buffer.from('garbage, not a Yjs update at all') },
    ]) {
      expect(await tab.sendRaw(request)).toMatchObject({ ok: false, code: CollabRefusal.Invalid });
    }
    expect(await tab.sendRaw({ noteId, update: new Uint8Array(256 * 1024 + 1) })).toMatchObject({
      ok: false,
      code: CollabRefusal.TooLarge,
    });
    expect(await tab.socket.timeout(5_000).emitWithAck('collab:join', { noteId: '-1', stateVector: new Uint8Array(0) })).toMatchObject({
      ok: false,
      code: CollabRefusal.Invalid,
    });
    tab.text.insert(0, 'still ');
    expect(await tab.flush()).toEqual([expect.objectContaining({ ok: true })]);
    expect(await restText(alice, noteId)).toBe('still private');
  });

  it('ends the session when the note goes to the trash', async () => {
    const alice = await register();
    const noteId = await createNote(alice, 'bye');
    const tab = await joined(alice, noteId);
    expect((await api('DELETE', `/api/notes/${noteId}`, { token: alice.accessToken })).status).toBe(204);
    await until(
      () => tab.closed.length > 0,
      () => 'no collab:closed',
    );
    expect(tab.closed[0]).toMatchObject({ noteId, reason: expect.stringMatching(/^(trashed|deleted)$/) });
    expect(await tab.join()).toMatchObject({ ok: false, code: CollabRefusal.NotFound });
  });

  it('a REST PATCH of the text during live editing reaches the live tabs', async () => {
    const alice = await register();
    const noteId = await createNote(alice, 'one');
    const tab = await joined(alice, noteId);
    const version = (await api('GET', `/api/notes/${noteId}`, { token: alice.accessToken })).body.version as number;
    const patched = await api('PATCH', `/api/notes/${noteId}`, { token: alice.accessToken, body: { text: 'one two', version } });
    expect(patched.status).toBe(200);
    await until(
      () => tab.text.toString() === 'one two',
      () => tab.text.toString(),
    );
  });

  describe('with two gateway processes', () => {
    let second: Awaited<ReturnType<typeof startSecondGateway>>;
    beforeAll(async () => {
      second = await startSecondGateway();
    }, 90_000);
    afterAll(() => second?.stop());

    it('collaborators on each gateway converge, each update delivered once per tab', async () => {
      const alice = await register();
      const noteId = await createNote(alice, 'x');
      const onFirst = [await joined(alice, noteId), await joined(alice, noteId)];
      const onSecond = [await joined(alice, noteId, second.url), await joined(alice, noteId, second.url)];
      const all = [...onFirst, ...onSecond];
      await interleave(all, 400, 20);
      expect(all.flatMap((tab) => tab.refusals())).toEqual([]);
      await converged(all);
      expect(await restText(alice, noteId)).toBe(all[0].text.toString());
      // Each tab received every stored update it did not send itself, once (an update that changed nothing is not stored nor relayed).
      await sleep(300);
      const storedSeqs = new Set(all.flatMap((tab) => tab.acks.flatMap((ack) => (ack.ok ? [ack.seq] : []))));
      for (const tab of all) {
        expect(new Set(tab.received).size).toBe(tab.received.length);
        const own = tab.acks.flatMap((ack) => (ack.ok ? [ack.seq] : []));
        const seen = new Set([...own, ...tab.received]);
        expect([...storedSeqs].filter((seq) => !seen.has(seq))).toEqual([]);
      }
    }, 120_000);
  });
});
