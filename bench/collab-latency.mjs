#!/usr/bin/env node
// Live-collaboration latency and cost: how long from a keystroke in one editor to the other
// user's screen, with 50 editors in one note and with 1,000 notes × 2 editors; what one update
// costs notes-service in CPU; what 10,000 edits take in storage after compaction.
//
//   node bench/collab-latency.mjs [--editors 50] [--notes 1000] [--pair 2] [--seconds 30] [--rate 2]
//                                 [--storage-edits 10000] [--warmup 3] [--quick] [--no-build] [--json FILE]
//
// Starts a MicroNote system on free ports (databases `micronote_*_benchcollab`, Redis prefix
// `mnbenchcollab:`, dropped/deleted before and after) and drives real Yjs clients (yjs Y.Doc, one
// socket.io connection each, as the SPA's live editor) from this one process:
// - scenario "one note": `editors` users share one note (the owner invites each as editor, they
//   accept); each editor types `rate` keystrokes/s at a random position (open loop, paced by the
//   clock). The latency of a keystroke is from just before the local insert to the moment the
//   update (matched by its `seq`: the sender's ack names it, the relay carries it) reached the
//   next editor in the ring: "the other user's screen" (applied to its Y.Doc).
// - scenario "many notes": `notes` notes, each with `pair` editors (owner + invited users), every
//   editor typing `rate` keystrokes/s in its own note.
// - CPU per update: notes-service's CPU time (/proc/<pid>/stat) over each window ÷ updates stored.
// - storage: one editor types `storage-edits` keystrokes (acked one after the other) into a fresh
//   note; then the note's `note_docs.snapshot` and `note_doc_updates` bytes (after the service's
//   compaction every COLLAB_LIMITS.compactAfterUpdates updates) and the text's own size.
// When the sharing routes are not there (404), every editor is another socket of the owner instead.
// `--quick`: 6 editors, 20 notes × 2, 8 s, 1,000 storage edits (a smoke test).
// Writes bench/results/<date>-collab-latency.json (or `--json FILE`).
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { io } from 'socket.io-client';
import * as Y from 'yjs';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls, mysqlConnection } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { cpuMs, machineCpuMs, pidListeningOn, rssBytes } from './lib/proc.mjs';
import { printTable, summary, writeResult } from './lib/report.mjs';
import { startBenchSystem } from './lib/system.mjs';
import { postJson, registerUsers } from './lib/users.mjs';

const { values: opts } = parseArgs({
  options: {
    editors: { type: 'string' },
    notes: { type: 'string' },
    pair: { type: 'string', default: '2' },
    seconds: { type: 'string' },
    rate: { type: 'string', default: '2' },
    warmup: { type: 'string' },
    'storage-edits': { type: 'string' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const EDITORS = Number(opts.editors ?? (opts.quick ? 6 : 50));
const NOTES = Number(opts.notes ?? (opts.quick ? 20 : 1000));
const PAIR = Number(opts.pair);
const SECONDS = Number(opts.seconds ?? (opts.quick ? 8 : 30));
const RATE = Number(opts.rate);
const WARMUP_SECONDS = Number(opts.warmup ?? (opts.quick ? 1 : 3));
const STORAGE_EDITS = Number(opts['storage-edits'] ?? (opts.quick ? 1000 : 10_000));
if (!(EDITORS >= 0 && NOTES >= 0 && PAIR >= 2 && RATE > 0 && RATE <= 50 && SECONDS > 0 && SECONDS <= 600 && STORAGE_EDITS >= 0)) {
  throw new Error('need --editors ≥ 0, --notes ≥ 0, --pair ≥ 2, --rate in (0, 50], --seconds in (0, 600], --storage-edits ≥ 0');
}

const DB_SUFFIX = '_benchcollab';
const REDIS_PREFIX = 'mnbenchcollab:';
const DRAIN_MS = 5_000;
const CONNECT_BATCH = 50;
/** Sockets per user at most (the gateway's WS_MAX_PER_USER default). */
const SOCKETS_PER_USER = 20;
const RUN = randomUUID().slice(0, 8);
const REMOTE = Symbol('remote');
const anomalies = { refused: 0, ackTimeouts: 0, disconnects: 0, notDelivered: 0, joinRetries: 0 };
/** Refusals by the ack's `code`, and disconnects by socket.io's reason (our own closes at the end are not counted). */
const refusedBy = {};
const disconnectsBy = {};
const notDeliveredBy = {};

/** The collab_* counters (no histogram buckets) a process's /metrics shows. */
async function collabMetrics(url) {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => /^collab_|^micronote_ws_events_relayed_total|^grpc_client_.*(ApplyNoteUpdate|applyNoteUpdate)/.test(line) && !line.includes('_bucket'));
  } catch (error) {
    return [`unavailable: ${error.message}`];
  }
}
const countIn = (counts, key) => (counts[key] = (counts[key] ?? 0) + 1);

/** One editor: a socket.io connection and a Y.Doc joined to `noteId`; `next` is the editor whose screen counts. */
async function connectEditor(url, token, noteId) {
  const socket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  const doc = new Y.Doc();
  const editor = { socket, doc, text: doc.getText('text'), noteId, arrivals: new Map(), sent: new Map(), acked: 0 };
  socket.on('collab:update', ({ update, seq }) => {
    const at = performance.now();
    Y.applyUpdate(doc, new Uint8Array(update), REMOTE);
    editor.arrivals.set(seq, at);
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) => reject(new Error(`connect_error ${error.message}`)));
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    anomalies.disconnects++;
    countIn(disconnectsBy, reason);
  });
  // UNAVAILABLE means "join again shortly" (the contract; the SPA retries too): up to 10 times, 1 s apart, each counted.
  let answer;
  for (let attempt = 0; ; attempt++) {
    answer = await socket.timeout(15_000).emitWithAck('collab:join', { noteId, stateVector: Y.encodeStateVector(doc) });
    if (answer.ok || answer.code !== 'UNAVAILABLE' || attempt === 10) break;
    anomalies.joinRetries++;
    await sleep(1000);
  }
  if (!answer.ok) throw new Error(`join ${noteId}: ${answer.code} ${answer.message}`);
  Y.applyUpdate(doc, new Uint8Array(answer.update), REMOTE);
  return editor;
}

/** One keystroke at a random position: resolves to { t0, seq } once acked (seq undefined when refused). */
async function keystroke(editor) {
  let update;
  const capture = (bytes, origin) => origin !== REMOTE && (update = bytes);
  editor.doc.on('update', capture);
  const t0 = performance.now();
  editor.text.insert(Math.floor(Math.random() * (editor.text.length + 1)), String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  editor.doc.off('update', capture);
  try {
    const ack = await editor.socket.timeout(15_000).emitWithAck('collab:update', { noteId: editor.noteId, update });
    if (!ack.ok) {
      anomalies.refused++;
      countIn(refusedBy, ack.code);
      return { t0, refused: ack.code, update };
    }
    editor.acked++;
    return { t0, seq: ack.seq };
  } catch {
    anomalies.ackTimeouts++;
    return { t0 };
  }
}

/** Creates a note of `owner` and has `members` join it as editors (or, without the sharing routes, uses the owner for everyone). */
async function sharedNote(gatewayUrl, agent, owner, members) {
  const auth = (user) => ({ agent, headers: { authorization: `Bearer ${user.token}` } });
  const created = await postJson(`${gatewayUrl}/api/notes`, { title: `collab ${RUN}`, text: 'bench' }, auth(owner));
  if (created.status !== 201) throw new Error(`creating a note: ${created.status}`);
  const noteId = created.body.id;
  const tokens = [owner.token];
  for (const member of members) {
    const invited = await postJson(`${gatewayUrl}/api/notes/${noteId}/members`, { user: member.username, role: 'editor' }, auth(owner));
    if (invited.status === 404 && invited.body?.code !== 'USER_NOT_FOUND') {
      sharing = false;
      tokens.push(owner.token);
      continue;
    }
    if (invited.status !== 201) throw new Error(`inviting: ${invited.status} ${JSON.stringify(invited.body)}`);
    const accepted = await postJson(`${gatewayUrl}/api/notes/${noteId}/members/me/accept`, {}, auth(member));
    if (accepted.status !== 200) throw new Error(`accepting: ${accepted.status}`);
    tokens.push(member.token);
  }
  return { noteId, tokens };
}
let sharing = true;

/** Every editor types RATE keystrokes/s (open loop, staggered) for `seconds`; returns [{ sender, t0, seq }]. */
async function drive(editors, seconds) {
  const interval = 1000 / RATE;
  const started = performance.now();
  const keystrokes = [];
  const perEditor = Math.round(seconds * RATE);
  await Promise.all(
    editors.map(async (editor, index) => {
      const offset = (index / editors.length) * interval;
      const inFlight = [];
      for (let i = 0; i < perEditor; i++) {
        const wait = started + offset + i * interval - performance.now();
        if (wait > 0) await sleep(wait);
        inFlight.push(keystroke(editor).then((k) => keystrokes.push({ ...k, sender: editor })));
      }
      await Promise.all(inFlight);
    }),
  );
  return keystrokes;
}

/** Keystroke → arrival at the sender's `next` editor (the other user's screen), once it arrived (or DRAIN_MS passed). */
async function latencies(keystrokes) {
  const stored = keystrokes.filter((k) => k.seq !== undefined);
  const deadline = Date.now() + DRAIN_MS;
  const missing = () => stored.filter((k) => !k.sender.next.arrivals.has(k.seq)).length;
  while (missing() > 0 && Date.now() < deadline) await sleep(20);
  anomalies.notDelivered += missing();
  // Missing ones past which the receiver saw no later seq: a client resyncing on a seq gap (the SPA) would not notice them either.
  for (const k of stored.filter((k) => !k.sender.next.arrivals.has(k.seq))) {
    const later = [...k.sender.next.arrivals.keys()].some((seq) => seq > k.seq);
    countIn(notDeliveredBy, later ? 'gap seen later' : 'no later seq (silent)');
  }
  return stored.filter((k) => k.sender.next.arrivals.has(k.seq)).map((k) => k.sender.next.arrivals.get(k.seq) - k.t0);
}

/** One measured scenario: `groups` of editors (one note each), warm-up, then the window with CPU figures. */
async function scenario(name, groups, pids) {
  const editors = groups.flat();
  console.log(`${name}: warm-up ${WARMUP_SECONDS} s…`);
  await drive(editors, WARMUP_SECONDS);
  await sleep(500);
  console.log(`${name}: measuring ${SECONDS} s, ${editors.length} editors × ${RATE} keystrokes/s…`);
  const loadBefore = Math.round(loadavg()[0] * 100) / 100;
  const cpuBefore = cpuMs(pids.notes);
  const gatewayCpuBefore = cpuMs(pids.gateway);
  const machineBefore = machineCpuMs();
  const started = performance.now();
  const keystrokes = await drive(editors, SECONDS);
  const windowMs = performance.now() - started;
  const notesCpuMs = cpuMs(pids.notes) - cpuBefore;
  const gatewayCpuMs = cpuMs(pids.gateway) - gatewayCpuBefore;
  const machineBusy = machineCpuMs().busy - machineBefore.busy;
  const stored = keystrokes.filter((k) => k.seq !== undefined).length;
  const latency = summary(await latencies(keystrokes));
  return {
    name,
    notes: groups.length,
    editors: editors.length,
    keystrokes: keystrokes.length,
    stored,
    achievedRate: Math.round((keystrokes.length / windowMs) * 10_000) / 10,
    latencyMs: latency,
    notesServiceCpuMsPerUpdate: stored ? Math.round((notesCpuMs / stored) * 1000) / 1000 : null,
    notesServiceCpuPercent: Math.round((notesCpuMs / windowMs) * 1000) / 10,
    gatewayCpuMsPerUpdate: stored ? Math.round((gatewayCpuMs / stored) * 1000) / 1000 : null,
    machineCpuPercent: Math.round((machineBusy / windowMs) * 1000) / 10,
    loadavg1m: { start: loadBefore, end: Math.round(loadavg()[0] * 100) / 100 },
  };
}

async function connectGroups(gatewayUrl, notes) {
  const groups = [];
  for (let i = 0; i < notes.length; i += CONNECT_BATCH) {
    const batch = notes.slice(i, i + CONNECT_BATCH);
    groups.push(
      ...(await Promise.all(
        batch.map(({ noteId, tokens }) => Promise.all(tokens.map((token) => connectEditor(gatewayUrl, token, noteId)))),
      )),
    );
  }
  // Each editor's latency is measured at the next one in its note (a ring).
  for (const group of groups) group.forEach((editor, i) => (editor.next = group[(i + 1) % group.length]));
  return groups;
}

async function storage(gatewayUrl, agent, owner) {
  const { noteId, tokens } = await sharedNote(gatewayUrl, agent, owner, []);
  const editor = await connectEditor(gatewayUrl, tokens[0], noteId);
  console.log(`storage: ${STORAGE_EDITS} keystrokes into note ${noteId}…`);
  const started = performance.now();
  let last = 0;
  for (let i = 0; i < STORAGE_EDITS; i++) {
    // One after the other, never faster than 190/s (within the gateway's 200 updates/s per socket,
    // also after a stall: no catching up in a burst).
    const gap = 1000 / 190 - (performance.now() - last);
    if (gap > 0) await sleep(gap);
    last = performance.now();
    const first = await keystroke(editor);
    const { update } = first;
    let { seq, refused } = first;
    // Rate-limited anyway (a burst the token bucket saw differently): the same update again, as the SPA does.
    for (let retry = 0; seq === undefined && refused === 'RATE_LIMITED' && retry < 20; retry++) {
      anomalies.refused--;
      refusedBy[refused]--;
      await sleep(100);
      const ack = await editor.socket.timeout(15_000).emitWithAck('collab:update', { noteId: editor.noteId, update });
      if (ack.ok) seq = ack.seq;
      else refused = ack.code;
    }
    if (seq === undefined) throw new Error(`edit ${i} was refused (${refused ?? 'no ack'})`);
  }
  editor.socket.close();
  await sleep(1000);
  const db = await mysqlConnection(infraUrls().mysqlUrl);
  try {
    const notesDb = databaseNames(DB_SUFFIX).find((name) => name.startsWith('micronote_notes'));
    const [[doc]] = await db.query(
      `SELECT LENGTH(snapshot) AS snapshotBytes, snapshot_seq AS snapshotSeq, seq FROM \`${notesDb}\`.note_docs WHERE note_id = ?`,
      [noteId],
    );
    const [[rows]] = await db.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(update_data)), 0) AS bytes FROM \`${notesDb}\`.note_doc_updates WHERE note_id = ?`,
      [noteId],
    );
    const [[note]] = await db.query(`SELECT LENGTH(text) AS textBytes FROM \`${notesDb}\`.notes WHERE id = ?`, [noteId]);
    const snapshotBytes = Number(doc?.snapshotBytes ?? 0);
    const updateBytes = Number(rows.bytes);
    return {
      edits: STORAGE_EDITS,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      seq: Number(doc?.seq ?? 0),
      snapshotSeq: Number(doc?.snapshotSeq ?? 0),
      snapshotBytes,
      updateRows: Number(rows.n),
      updateRowBytes: updateBytes,
      totalBytes: snapshotBytes + updateBytes,
      textBytes: Number(note?.textBytes ?? 0),
      bytesPer10kEdits: Math.round(((snapshotBytes + updateBytes) / STORAGE_EDITS) * 10_000),
    };
  } finally {
    await db.end();
  }
}

async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(mysqlUrl, databaseNames(DB_SUFFIX));
  return deleteRedisKeys(redisUrl, REDIS_PREFIX);
}

async function main() {
  installSignalHandlers();
  onShutdown(cleanInfra);
  await ensureInfra();
  await cleanInfra();
  const { system, ports } = await startBenchSystem({ dbSuffix: DB_SUFFIX, redisPrefix: REDIS_PREFIX, build: !opts['no-build'] });
  const { gatewayUrl } = system;
  const pids = { notes: pidListeningOn(ports['notes-service'].http), gateway: pidListeningOn(ports.gateway.http) };
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  // At most WS_MAX_PER_USER (20, the default the bench system turns off) sockets per user, as in production: with 2
  // users for 1,000 notes × 2, every change event of a user (a checkpoint's NOTE_UPDATED) went to 1,000 sockets.
  const userCount = Math.max(EDITORS, PAIR, NOTES > 0 ? Math.ceil((NOTES * PAIR) / SOCKETS_PER_USER) : 0);
  const users = await registerUsers(gatewayUrl, { count: userCount, tag: `co${RUN}`, agent });
  const [owner, ...others] = users;
  const results = {
    config: { editors: EDITORS, notes: NOTES, pair: PAIR, rate: RATE, seconds: SECONDS, storageEdits: STORAGE_EDITS },
    scenarios: [],
  };

  if (EDITORS >= 2) {
    console.log(`one note, ${EDITORS} editors: sharing and joining…`);
    const note = await sharedNote(gatewayUrl, agent, owner, others.slice(0, EDITORS - 1));
    const groups = await connectGroups(gatewayUrl, [note]);
    results.scenarios.push(await scenario(`1 note × ${EDITORS} editors`, groups, pids));
    groups.flat().forEach((editor) => editor.socket.close());
  }
  if (NOTES >= 1) {
    console.log(`${NOTES} notes × ${PAIR} editors: sharing and joining…`);
    const notes = [];
    // Note i: users i·PAIR … i·PAIR + PAIR - 1 (mod the users), so each user has about NOTES·PAIR/users sockets.
    for (let i = 0; i < NOTES; i++) {
      const [noteOwner, ...members] = Array.from({ length: PAIR }, (_, j) => users[(i * PAIR + j) % users.length]);
      notes.push(await sharedNote(gatewayUrl, agent, noteOwner, members));
    }
    const groups = await connectGroups(gatewayUrl, notes);
    results.scenarios.push(await scenario(`${NOTES} notes × ${PAIR} editors`, groups, pids));
    groups.flat().forEach((editor) => editor.socket.close());
  }
  if (STORAGE_EDITS > 0) results.storage = await storage(gatewayUrl, agent, owner);
  results.sharing = sharing
    ? 'editors are distinct users (invited, accepted)'
    : 'sharing routes absent: every editor is a socket of the owner';
  results.anomalies = anomalies;
  results.anomalyDetails = { refusedBy, disconnectsBy, notDeliveredBy };
  results.metrics = {
    gateway: await collabMetrics(gatewayUrl),
    notesService: await collabMetrics(`http://127.0.0.1:${ports['notes-service'].http}`),
  };
  results.gatewayRss = rssBytes(pids.gateway);
  results.notesServiceRss = rssBytes(pids.notes);
  results.loadavg1m = Math.round(loadavg()[0] * 100) / 100;
  results.cores = cpus().length;

  agent.destroy();
  const stopped = await system.stop();
  await cleanInfra();

  console.log('');
  printTable(
    [
      'scenario',
      'keystrokes',
      'stored',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'notes CPU ms/update',
      'gateway CPU ms/update',
      'machine CPU %',
    ],
    results.scenarios.map((s) => [
      s.name,
      s.keystrokes,
      s.stored,
      s.latencyMs.p50.toFixed(2),
      s.latencyMs.p95.toFixed(2),
      s.latencyMs.p99.toFixed(2),
      s.latencyMs.max.toFixed(2),
      s.notesServiceCpuMsPerUpdate,
      s.gatewayCpuMsPerUpdate,
      s.machineCpuPercent,
    ]),
  );
  if (results.storage) {
    const st = results.storage;
    console.log(
      `\nstorage after ${st.edits} edits (seq ${st.seq}, snapshot at ${st.snapshotSeq}): snapshot ${st.snapshotBytes} B + ${st.updateRows} update rows ${st.updateRowBytes} B = ${st.totalBytes} B (text ${st.textBytes} B); per 10,000 edits ${st.bytesPer10kEdits} B`,
    );
  }
  console.log(`\n${results.sharing}; anomalies ${JSON.stringify(anomalies)} ${JSON.stringify(results.anomalyDetails)}`);
  for (const [app, lines] of Object.entries(results.metrics)) for (const line of lines) console.log(`${app}: ${line}`);
  const dirty = stopped.filter((s) => s.code !== 0);
  if (dirty.length > 0) console.log(`apps that did not exit 0: ${dirty.map((s) => `${s.name} (${s.code ?? s.signal})`).join(', ')}`);
  console.log(`written to ${writeResult('collab-latency', results, opts.json)}`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error.stack ?? error.message);
    await stopAll();
    await cleanInfra().catch(() => undefined);
    process.exit(1);
  },
);
