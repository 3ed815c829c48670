#!/usr/bin/env node
// The floor of P1 and P2 (bench/run.mjs), gRPC side: the thinnest notes-service there can be. A
// plain grpc-js server of the same proto (proto-loader, the apps' options) whose ListNotes runs the
// baseline's SQL (notes-sql.mjs: the same query and mapping as notes-service) and nothing else: no
// Nest, no TypeORM, no interceptors, no metrics, no logging. Only the first page of active notes
// (what P1 and P2 ask for); every other method is UNIMPLEMENTED.
//
//   node bench/baseline/floor-service.mjs --port 50099 --db micronote_notes_benchrun
//
// MYSQL_URL as for the apps. Prints `listening on <port>` once it accepts calls.
import { parseArgs } from 'node:util';

import { Server, ServerCredentials } from '@grpc/grpc-js';

import { infraUrls } from '../../tools/scripts/lib/infra.mjs';
import { notesService } from '../lib/notes-grpc.mjs';
import { listNotes, notesPool } from './notes-sql.mjs';

const { values: opts } = parseArgs({ options: { port: { type: 'string' }, db: { type: 'string' } } });
const pool = notesPool(infraUrls().mysqlUrl, opts.db);
const server = new Server();

server.addService(notesService().service, {
  listNotes: ({ request }, callback) => {
    listNotes(pool, request.userId, request.limit || 20).then(
      (page) =>
        callback(null, {
          items: page.items.map((note) => ({ ...note, deletedAt: note.deletedAt ?? undefined })),
          nextCursor: page.nextCursor ?? '',
        }),
      (error) => callback(error),
    );
  },
});

server.bindAsync(`127.0.0.1:${opts.port}`, ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(`listening on ${port}`);
});

process.on('SIGTERM', () => server.tryShutdown(() => pool.end().then(() => process.exit(0))));
