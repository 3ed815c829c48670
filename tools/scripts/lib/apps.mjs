// The one list of MicroNote's deployable apps, with their default ports and databases.
// Services (those with a gRPC port) start first; the gateway (`edge`) starts last, once they are ready.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { freePorts } from './ports.mjs';
import { ROOT } from './workspace.mjs';

/**
 * - `key`: names the app's variables: `GRPC_<key>_URL` (read by the apps) and `<key>_HTTP_URL`
 *   (given to the e2e tests);
 * - `dbName`: default database; such a service is migrated (`main.js migrate`) before it starts.
 * Apps not written yet (notes-service, todos-service) are skipped until apps/<name>/project.json exists.
 */
export const APPS = [
  { name: 'auth-service', key: 'AUTH', httpPort: 3001, grpcPort: 50001 },
  { name: 'notes-service', key: 'NOTES', httpPort: 3002, grpcPort: 50002, dbName: 'micronote_notes' },
  { name: 'todos-service', key: 'TODOS', httpPort: 3003, grpcPort: 50003, dbName: 'micronote_todos' },
  { name: 'user-service', key: 'USER', httpPort: 3004, grpcPort: 50004, dbName: 'micronote_users' },
  { name: 'gateway', key: 'GATEWAY', httpPort: 8080, edge: true },
];

/** Apps that are only built (the SPA, served by the gateway from dist/apps/web). */
export const STATIC_APPS = [{ name: 'web' }];

export const isPresent = (app) => existsSync(resolve(ROOT, 'apps', app.name, 'project.json'));

/** The apps that exist in this checkout, services first, the gateway last. */
export const presentApps = () => APPS.filter(isPresent).sort((a, b) => Number(Boolean(a.edge)) - Number(Boolean(b.edge)));

/** Every present app to build: the processes and the static ones. */
export const buildNames = () => [...presentApps(), ...STATIC_APPS.filter(isPresent)].map((app) => app.name);

export const mainJs = (app) => resolve(ROOT, 'dist/apps', app.name, 'main.js');

/** Ports of every app (present or not): `{ [name]: { http, grpc? } }` with the defaults above. */
export const defaultPorts = () => Object.fromEntries(APPS.map((app) => [app.name, { http: app.httpPort, grpc: app.grpcPort }]));

/** Like `defaultPorts`, but free ports on 127.0.0.1 chosen now (for a test system). */
export async function freeAppPorts() {
  const free = await freePorts(APPS.length + APPS.filter((app) => app.grpcPort).length);
  return Object.fromEntries(APPS.map((app) => [app.name, { http: free.pop(), grpc: app.grpcPort && free.pop() }]));
}

/** The databases of a deployment whose database names end in `suffix` (all DB services, present or not). */
export const databaseNames = (suffix = '') => APPS.filter((app) => app.dbName).map((app) => app.dbName + suffix);
