/*
 * MicroNote's service worker, at the root scope (/sw.js, registered by
 * src/features/notifications/lib/web-push.ts). For now it only handles Web Push (push-sw.js); it
 * caches nothing, so every page and asset still comes from the network.
 */
importScripts('/push-sw.js');

// globalThis is the worker's global scope (`self`).
globalThis.addEventListener('install', () => {
  globalThis.skipWaiting();
});
globalThis.addEventListener('activate', (event) => {
  event.waitUntil(globalThis.clients.claim());
});
