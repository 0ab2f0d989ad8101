import { validateWithoutEval } from '@desk/core';
import { createEffect, createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { registerServiceWorker } from './pwa/register.ts';
import { firstScreenPainted } from './shell/first-screen.ts';
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
if (root) render(() => <App />, root);

// The service worker only exists in production builds (vite dev serves no /sw.js). Registering it
// (workbox-window's chunk, the worker's update check) is no part of the first screen: on a phone-class
// CPU it ran between the page's load and the landing page's first render, so it waits for that paint.
if (import.meta.env.PROD) {
  createRoot((dispose) =>
    createEffect(() => {
      if (!firstScreenPainted()) return;
      dispose();
      if (document.readyState === 'complete') void registerServiceWorker();
      else window.addEventListener('load', () => void registerServiceWorker(), { once: true });
    }),
  );
}
