// Compiles the server to JavaScript for production: `node dist/main.js` needs no TypeScript runner.
//
// esbuild bundles src/ with the workspace's @desk/core (TypeScript, not published) and whatever it
// needs that the server doesn't list itself; the server's own dependencies stay in node_modules
// (better-sqlite3 is native, swagger-ui-dist is read from disk). Files found at run time through
// `new URL('…', import.meta.url)` (the PWA's and the widget's dist, the NLU training worker) are
// re-pointed from dist/ to where they are in the repository, so no copy can go stale.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(resolve(here, 'package.json'), 'utf8'));
/** Installed beside the server: imported at run time, not bundled. */
const installed = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@desk/'));

/**
 * The programs dist/ holds: the server (and its processing thread's entry, which main.js starts as a
 * worker), the online SQLite backup command, and the copy to PostgreSQL.
 */
export const ENTRY_POINTS = {
  main: 'src/main.ts',
  'processing-thread': 'src/lifecycle/processing-thread-entry.ts',
  backup: 'src/backup/backup-command.ts',
  'migrate-to-postgres': 'src/db/migrate-to-postgres-command.ts',
};

const ASSET_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;

function assetUrlsFrom(outdir) {
  return {
    name: 'asset-urls-from-dist',
    setup(b) {
      b.onLoad({ filter: /[/\\]apps[/\\]server[/\\]src[/\\].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace(ASSET_URL, (_match, quote, path) => {
          let fromDist = relative(outdir, resolve(dirname(args.path), path)).split('\\').join('/');
          if (!fromDist.startsWith('.')) fromDist = `./${fromDist}`;
          // A trailing slash (a directory) must survive path.relative.
          if (path.endsWith('/') && !fromDist.endsWith('/')) fromDist += '/';
          return `new URL(${quote}${fromDist}${quote}, import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** Builds into `outdir` (default dist/); answers the output files and their sizes. */
export async function buildServer({ outdir = resolve(here, 'dist'), minify = false } = {}) {
  const result = await build({
    absWorkingDir: here,
    entryPoints: ENTRY_POINTS,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: true,
    minify,
    metafile: true,
    logLevel: 'warning',
    external: installed,
    // Bundled CommonJS (from @desk/core's dependencies) may call require(): give ESM one.
    banner: { js: "import { createRequire as __deskCreateRequire } from 'node:module';\nconst require = __deskCreateRequire(import.meta.url);" },
    plugins: [assetUrlsFrom(outdir)],
  });
  return Object.entries(result.metafile.outputs).map(([file, { bytes }]) => ({ file, bytes }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const outputs = await buildServer();
  const js = outputs.filter(({ file }) => file.endsWith('.js'));
  const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(`server built in ${Math.round(performance.now() - started)} ms: ${js.map(({ file, bytes }) => `${file} ${kb(bytes)}`).join(', ')}`);
}
