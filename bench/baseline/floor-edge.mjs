#!/usr/bin/env node
// The floor of P1 (bench/run.mjs), HTTP side: the thinnest gateway there can be. notes-server.mjs's
// bare `node:http` server and authentication (bare-http.mjs), but the page comes from one gRPC
// ListNotes call to floor-service.mjs, as the gateway gets it from notes-service, and goes out as
// the same bytes as the bare server's. Together the two are the architecture (HTTP edge → gRPC →
// service → MySQL) without any framework: how close to the bare server any such system can get.
//
//   node bench/baseline/floor-edge.mjs --port 8091 --grpc 127.0.0.1:50099 --redis-prefix mnbenchrun:
//
// REDIS_URL as for the apps. Prints `listening on <port>` once it accepts requests.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { infraUrls } from '../../tools/scripts/lib/infra.mjs';
import { notesClient } from '../lib/notes-grpc.mjs';
import { serveNotesList, sessionAuth } from './bare-http.mjs';

const { values: opts } = parseArgs({
  options: { port: { type: 'string' }, grpc: { type: 'string' }, 'redis-prefix': { type: 'string' } },
});
const notes = notesClient(opts.grpc);
let calls = 0;

/** A proto Note as the REST API (and the bare server) writes it, key for key. */
const restNote = ({ id, title, text, tags, isPinned, isArchived, version, createdAt, updatedAt, deletedAt }) => ({
  id,
  title,
  text,
  tags,
  isPinned,
  isArchived,
  version,
  createdAt,
  updatedAt,
  deletedAt: deletedAt || null,
});

serveNotesList({
  createServer,
  port: Number(opts.port),
  auth: sessionAuth(infraUrls().redisUrl, opts['redis-prefix']),
  page: async (userId, limit) => {
    const page = await notes.listFirstPage(userId, limit, `floor-${calls++}`);
    return { items: page.items.map(restNote), nextCursor: page.nextCursor || null };
  },
  onClose: () => notes.close(),
});
