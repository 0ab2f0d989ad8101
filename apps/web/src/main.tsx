import { validateWithoutEval } from '@desk/core';
import { render } from 'solid-js/web';
import { App, loadTicketsPage } from './App.tsx';
import { currentUser } from './auth/session.ts';
import { registerServiceWorker } from './pwa/register.ts';
import { whenFirstScreenPainted } from './shell/first-screen.ts';
import { applyStoredTheme } from './shell/theme.ts';
import { trackVisualViewport } from './shell/viewport.ts';
import './styles.css';

// The sync benchmark (e2e/bench) drives the local store's real code through `window.__deskBench`.
if (new URLSearchParams(location.search).has('bench')) void import('./local/bench-hooks.ts');

// The page's CSP has no 'unsafe-eval': schemas validate without compiled code.
validateWithoutEval();
applyStoredTheme();
trackVisualViewport();

const root = document.getElementById('root');
const start = () => {
  if (root) render(() => <App />, root);
};
// A signed-in agent opening the app lands on the ticket list. Its chunk (which index.html preloads) is
// evaluated before the first render, so that render draws the shell and the list's first page in one
// task. Rendered first, the shell was painted alone, and on a phone-class CPU the list's chunk was
// evaluated only some 50 ms later, after that frame. (Not a top-level await: with one in the entry, a
// new device's first list after sign-in came 0.6–1.6 s later.)
if (currentUser() !== null && /^\/(tickets\/?)?$/.test(location.pathname)) void loadTicketsPage().then(start, start);
else start();

// The service worker only exists in production builds (vite dev serves no /sw.js). Registering it
// (workbox-window's chunk, the worker's update check) is no part of the first screen: on a phone-class
// CPU it ran between the page's load and the landing page's first render, so it waits for that paint.
if (import.meta.env.PROD) {
  whenFirstScreenPainted(() => {
    if (document.readyState === 'complete') void registerServiceWorker();
    else window.addEventListener('load', () => void registerServiceWorker(), { once: true });
  });
}
