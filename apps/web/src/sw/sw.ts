/*
 * MicroNote's service worker, served at /sw.js with scope / (built by vite-plugin-pwa's
 * injectManifest from this file; the list of files to precache is injected at build time).
 *
 * - The app shell: every file of the build (index.html, the JS and CSS chunks, the lazy ones and
 *   the languages included, icons, manifest) is precached, so the app starts offline and from
 *   cache on every later visit; a page navigation (a reload on /notes/42) gets the cached
 *   index.html. Nothing of the API (/api, /socket.io) is cached here: offline data is the app's
 *   own IndexedDB cache.
 * - Updates: a new build installs in the background and waits; the app asks the user and, on
 *   "Reload", sends SKIP_WAITING (src/app/pwa/service-worker.ts).
 * - Web Push (reminders): push-sw.js, loaded into this same worker.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

/** Paths that belong to the server, never to the app shell (as the gateway's serve-spa.ts). */
const SERVER_PATHS = /^\/(api|socket\.io|health|metrics)(\/|$)/;

self.importScripts('/push-sw.js');

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [SERVER_PATHS] }));

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first worker takes the open tabs at once (there is nothing older to wait for); a later one
// only after SKIP_WAITING, so a tab never runs code of two builds.
self.addEventListener('activate', (event: ExtendableEvent) => {
  event.waitUntil(self.clients.claim());
});
