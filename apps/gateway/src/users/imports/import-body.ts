import type { ImportSource } from '@micronote/contracts';
import { IMPORT_SOURCES } from '@micronote/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { IMPORT_LIMITS } from './import-limits';

/** The route that takes another app's file as its raw body. */
export const IMPORT_ROUTE = '/api/users/me/import';

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'];
const XML_TYPES = ['application/xml', 'text/xml', 'application/enex+xml'];
const ANY_FILE = 'application/octet-stream';
/** What browsers send a .csv as (Windows with Excel installed: application/vnd.ms-excel). */
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

/** The media types each source's file may be sent as. */
export const IMPORT_MEDIA_TYPES: Record<ImportSource, readonly string[]> = {
  keep: [...ZIP_TYPES, ANY_FILE],
  markdown: [...ZIP_TYPES, ANY_FILE],
  enex: [...XML_TYPES, ANY_FILE],
  todoist: [...CSV_TYPES, ...ZIP_TYPES, ANY_FILE],
};

const FILE_TYPES = [...new Set(Object.values(IMPORT_MEDIA_TYPES).flat())];

const mediaType = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** An error the filter answers with its own status, as it does Fastify's (`code` from the status). */
export const clientError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

/**
 * The file bodies of `POST /api/users/me/import?from=`, read as a Buffer of at most
 * IMPORT_LIMITS.maxBytes (50 MiB) while every other route keeps Fastify's 1 MiB of JSON. The
 * media type is checked before a byte is read: no bearer token is 401 at once; these types anywhere else, or without a `from`
 * that takes them, are 415 at once (an unknown `from` is 400); a Content-Length over the limit is 413 at once, and a body
 * that grows past it is cut off with 413.
 */
export function registerImportBodyParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(FILE_TYPES, (request, payload, done) => {
    const from = (request.query as Record<string, unknown> | undefined)?.['from'];
    const type = mediaType(request);
    if (request.routeOptions.url !== IMPORT_ROUTE || request.method !== 'POST') {
      return done(clientError(415, `Unsupported Media Type: ${type}`), undefined);
    }
    // Up to 50 MiB is read before the route's guard runs: a request without a bearer token at all is
    // refused first, so an anonymous client cannot make the gateway buffer files (the guard still
    // checks the token itself).
    if (!/^Bearer \S+/i.test(request.headers.authorization ?? '')) {
      return done(clientError(401, 'Sign in first: the import needs an access token'), undefined);
    }
    if (from === undefined) {
      return done(
        clientError(415, `A file body needs from=${IMPORT_SOURCES.join('|')}; an exported MicroNote document is sent as application/json`),
        undefined,
      );
    }
    if (typeof from !== 'string' || !(IMPORT_SOURCES as readonly string[]).includes(from)) {
      return done(clientError(400, `from must be one of ${IMPORT_SOURCES.join(', ')}`), undefined);
    }
    if (!IMPORT_MEDIA_TYPES[from as ImportSource].includes(type)) {
      return done(clientError(415, `from=${from} takes ${IMPORT_MEDIA_TYPES[from as ImportSource].join(', ')}, not ${type}`), undefined);
    }
    const tooLarge = () =>
      clientError(413, `The file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MiB, the most one import takes`);
    if (Number(request.headers['content-length']) > IMPORT_LIMITS.maxBytes) return done(tooLarge(), undefined);
    // As Fastify's own body reader does (its rawBody), with the import's limit.
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > IMPORT_LIMITS.maxBytes) {
        stop();
        chunks.length = 0;
        done(tooLarge(), undefined);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      stop();
      done(null, Buffer.concat(chunks, size));
    }
    function onError(error: Error): void {
      stop();
      done(clientError(400, `The upload broke off: ${error.message}`), undefined);
    }
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}
