#!/usr/bin/env node
// The baseline of P1 and P2 (bench/run.mjs): a bare `node:http` server answering
// `GET /api/notes?limit=N` the way MicroNote does, in one process and without a framework:
//   1. verify the bearer JWT (jsonwebtoken, HS256 with the deployment's secret, issuer and audience,
//      the secret as a KeyObject like the gateway) and its claims (typ, sub, sid);
//   2. one Redis round trip for the session (HGET <prefix>auth:session:<sid> userId, compared
//      with the token's sub: the gateway's check);
//   3. the same SQL as notes-service on a mysql2 pool of the same options (notes-sql.mjs), and the
//      same JSON body `{ items, nextCursor }`.
// Anything else answers 404; a bad token 401.
//
//   node bench/baseline/notes-server.mjs --port 8090 --db micronote_notes_benchrun --redis-prefix mnbenchrun:
//
// MYSQL_URL and REDIS_URL as for the apps. Prints `listening on <port>` once it accepts requests.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { infraUrls } from '../../tools/scripts/lib/infra.mjs';
import { serveNotesList, sessionAuth } from './bare-http.mjs';
import { listNotes, notesPool } from './notes-sql.mjs';

const { values: opts } = parseArgs({
  options: { port: { type: 'string' }, db: { type: 'string' }, 'redis-prefix': { type: 'string' } },
});
const { mysqlUrl, redisUrl } = infraUrls();
const pool = notesPool(mysqlUrl, opts.db);

serveNotesList({
  createServer,
  port: Number(opts.port),
  auth: sessionAuth(redisUrl, opts['redis-prefix']),
  page: (userId, limit) => listNotes(pool, userId, limit),
  onClose: () => pool.end(),
});
