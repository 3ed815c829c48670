// notes-service's gRPC API as the bench's own processes use it: loaded with the options of
// server-core's grpc-options.ts (proto-loader, the same object shapes the apps see). A bench
// script cannot import that TypeScript lib, so the options are repeated here, once.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { credentials, loadPackageDefinition, Metadata } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

import { gatewayIdentity } from './identity.mjs';

const PROTO_ROOT = resolve(fileURLToPath(new URL('../../proto', import.meta.url)));

/** The gateway's deadline for a call (any deadline costs the same timer). */
const DEADLINE_MS = 5_000;

/** `micronote.notes.v1.NotesService`: a client constructor whose `.service` is the service definition for a grpc-js Server. */
export function notesService() {
  const definition = loadSync('micronote/notes/v1/notes.proto', {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: false,
    arrays: true,
    includeDirs: [PROTO_ROOT],
  });
  return loadPackageDefinition(definition).micronote.notes.v1.NotesService;
}

/** A NotesService client on `grpcUrl` with `listFirstPage(userId, limit, requestId) → Promise<ListNotesResponse>`, as the gateway calls it. */
export function notesClient(grpcUrl) {
  const NotesService = notesService();
  const client = new NotesService(grpcUrl, credentials.createInsecure());
  const request = { q: '', tag: '', archived: false, trashed: false, cursor: '' };
  return {
    listFirstPage: (userId, limit, requestId) =>
      new Promise((resolvePromise, reject) => {
        const metadata = new Metadata();
        metadata.set('x-request-id', requestId);
        metadata.set('x-micronote-identity', gatewayIdentity(userId));
        client.listNotes({ ...request, userId, limit }, metadata, { deadline: Date.now() + DEADLINE_MS }, (error, page) =>
          error ? reject(error) : resolvePromise(page),
        );
      }),
    close: () => client.close(),
  };
}
