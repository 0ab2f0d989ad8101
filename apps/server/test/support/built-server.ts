import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../build.mjs';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface TestBuild {
  outdir: string;
  /** `node <main>` runs the server. */
  main: string;
  /** `node <backup> <file>`: the online SQLite backup. */
  backup: string;
  outputs: { file: string; bytes: number }[];
  remove(): void;
}

/**
 * The production build (build.mjs), made for a test file in apps/server/.tmp/ (beside dist/, so the
 * server's node_modules resolve the same way), never in the dist/ that `npm start` runs.
 */
export async function buildForTest(): Promise<TestBuild> {
  const outdir = join(SERVER_DIR, '.tmp', `build-${randomBytes(4).toString('hex')}`);
  const outputs = await buildServer({ outdir });
  return {
    outdir,
    main: join(outdir, 'main.js'),
    backup: join(outdir, 'backup.js'),
    outputs,
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
