/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { SERVER_PATHS } from '../server-paths.ts';
import { registerNotificationClick } from './notification-click.ts';
import { registerPush } from './push.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

// The app shell: every built asset, precached at install (the list is injected at build time).
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Client-side routes (/tickets/42) are answered with the precached index.html, offline too.
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: SERVER_PATHS.map((path) => new RegExp(`^${escapeRegExp(path)}(?:[/?#]|$)`)),
  }),
);

// A new worker waits until the page asks it to take over ("A new version is available — Reload").
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();

// Web Push: see push.ts and notification-click.ts (subscribing lives in the page, later).
registerPush(self);
registerNotificationClick(self);

// Later: more handlers (e.g. background sync) go in their own module, registered here.
