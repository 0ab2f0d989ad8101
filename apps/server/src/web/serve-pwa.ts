import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

const NO_CACHE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Vite puts content-hashed files under /assets: they never change, everything else is revalidated. */
export function cacheControlFor(path: string): string {
  if (path.startsWith('/assets/')) return IMMUTABLE;
  return NO_CACHE;
}

/** Serves the built PWA and answers client routes (/tickets/42) with index.html. */
export function pwaRoutes(distDir: string) {
  const app = new Hono();
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile)) {
    app.get('*', (c) => c.text('The PWA is not built: run `npm start` (or `pnpm --filter @desk/web build`).', 503));
    return app;
  }

  app.use('*', async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('cache-control')) {
      c.res.headers.set('Cache-Control', cacheControlFor(c.req.path));
    }
  });
  app.use(
    '*',
    serveStatic({
      root: distDir,
      onFound: (path, c) => {
        if (path.endsWith('.webmanifest')) c.header('Content-Type', 'application/manifest+json');
      },
    }),
  );
  // A missing hashed file must be a 404, not the shell: an old chunk name would otherwise run HTML as JS.
  app.get('/assets/*', (c) => c.text('Not found', 404));
  app.get('*', (c) => {
    c.header('Cache-Control', NO_CACHE);
    // Read per request: a rebuilt PWA is served without restarting the server.
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
