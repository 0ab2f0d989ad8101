import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildForTest, type TestBuild } from '../support/built-server.ts';
import { killServerProcess, type ServerProcess, startServerProcess } from '../support/server-process.ts';

const APPS = fileURLToPath(new URL('../../../', import.meta.url));
let build: TestBuild;
beforeAll(async () => {
  build = await buildForTest();
});
afterAll(() => build?.remove());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startBuilt(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess(env, { built: build.main });
  cleanups.push(() => killServerProcess(server.child));
  return server;
}

/** Runs a built program to its end; answers its exit code and output. */
function runBuilt(script: string, args: string[], env: Record<string, string>, cwd = tmpdir()) {
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('the production build', () => {
  it('finds every file it loads at run time from dist/: the PWA, the widget and the NLU training worker', () => {
    const source = readFileSync(build.main, 'utf8');
    const targets = [...source.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map((match) => resolve(dirname(build.main), match[1] as string));
    expect(targets).toEqual(
      expect.arrayContaining([join(APPS, 'web/dist'), join(APPS, 'widget/dist'), join(APPS, 'server/src/conversations/bot/network-trainer.mjs')]),
    );
    for (const target of targets) expect(existsSync(target), `${target} (run the build: npm run build)`).toBe(true);
  });

  it('runs under node alone and serves the API, its reference, the widget and the PWA', async () => {
    const dataDir = tempDir('desk-built-');
    const server = await startBuilt({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'built server password', NODE_OPTIONS: '' });
    expect(server.child.spawnargs).toEqual([process.execPath, build.main]);
    const status = async (path: string) => (await fetch(`${server.url}${path}`)).status;
    expect(await status('/healthz')).toBe(200);
    expect(await status('/api/openapi.json')).toBe(200);
    expect(await status('/api/docs/swagger-ui.css')).toBe(200);
    const widget = await fetch(`${server.url}/widget.js`);
    expect([widget.status, widget.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root"|<script type="module"/);
  });

  it('backs up the SQLite database of a running server online, from where npm was run, and never over a file', async () => {
    const dataDir = tempDir('desk-backup-');
    await startBuilt({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'backup test password', ADMIN_EMAIL: 'boss@backup.test' });
    const target = join(tempDir('desk-backup-target-'), 'copy.sqlite');

    const made = await runBuilt(build.backup, [target], { DATA_DIR: dataDir });
    expect(made.output).toMatch(/Backed up .*desk\.sqlite to .*copy\.sqlite/);
    expect(made.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT email FROM agents').all()).toEqual([{ email: 'boss@backup.test' }]);
    } finally {
      copy.close();
    }

    const again = await runBuilt(build.backup, [target], { DATA_DIR: dataDir });
    expect([again.code, again.output]).toEqual([1, expect.stringContaining('exists already')]);

    // `npm run backup -- relative.sqlite` runs in the repository root; the file goes where npm was run.
    const caller = tempDir('desk-backup-caller-');
    const relative = await runBuilt(build.backup, ['relative.sqlite'], { DATA_DIR: dataDir, INIT_CWD: caller });
    expect(relative.code).toBe(0);
    expect(existsSync(join(caller, 'relative.sqlite'))).toBe(true);
  });

  it('sends PostgreSQL deployments to pg_dump', async () => {
    const onPostgres = await runBuilt(build.backup, ['x.sqlite'], { DATA_DIR: tempDir('desk-backup-'), DATABASE_URL: 'postgres://desk@127.0.0.1:1/desk' });
    expect([onPostgres.code, onPostgres.output]).toEqual([2, expect.stringContaining('pg_dump')]);
  });
});
