// Runs one throwaway PostgreSQL cluster for as long as whoever started it lives.
//
// Started by throwaway-cluster.mjs with a pipe on stdin. It creates the cluster in a fresh temp
// directory (socket there too), starts `postgres` on a free loopback port, creates the `desk`
// database and prints one JSON line {url, adminUrl, dir, port, pid}. When stdin ends (the parent
// closed it, exited or was killed, even with SIGKILL) or on SIGTERM/SIGINT/SIGHUP, it stops the
// cluster (fast shutdown, then SIGKILL), deletes the directory and exits.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBin } from './binaries.mjs';

const USER = 'desk';
const DATABASE = 'desk';

const bin = findPostgresBin();
if (!bin) {
  process.stderr.write('[pg-keeper] no PostgreSQL 15+ binaries found (apt-get install -y postgresql, or set PG_BIN)\n');
  process.exit(1);
}

// As root, PostgreSQL refuses to run: initdb and the server run as the `postgres` user.
const asRoot = process.getuid?.() === 0;
const owner = asRoot ? { uid: idOf('-u'), gid: idOf('-g') } : {};
const dir = mkdtempSync(join(process.env.DESK_PG_TMPDIR ?? tmpdir(), 'desk-pg-'));
if (asRoot) chownSync(dir, owner.uid, owner.gid);
const data = join(dir, 'data');

let server = null;
let stopping = null;
process.stdin.on('data', () => {});
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => void stop());

try {
  run('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions']);
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const started = await startServer(port);
    if (started.ok) break;
    // Another process took the port between our probe and the bind: try another one.
    if (attempt >= 5 || !/could not bind|address already in use/i.test(started.log)) fail(`postgres did not start:\n${started.log}`);
  }
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, DATABASE]);
  const base = `postgres://${USER}@127.0.0.1:${port}`;
  process.stdout.write(`${JSON.stringify({ url: `${base}/${DATABASE}`, adminUrl: `${base}/postgres`, dir, port, pid: server.pid })}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

function idOf(flag) {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

function run(tool, args) {
  const result = spawnSync(join(bin, tool), args, { ...owner, cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `postgres` in the foreground (a child of this keeper) and waits for it to accept connections. */
function startServer(port) {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    // A throwaway cluster: durability buys nothing and costs every commit a disk flush.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
  };
  const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  const child = spawn(join(bin, 'postgres'), args, { ...owner, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve) => {
    let log = '';
    const onData = (chunk) => {
      log += chunk;
      if (log.includes('database system is ready to accept connections')) {
        child.stderr.off('data', onData);
        // Keep draining the log (the server must never block on a full pipe), its tail for a post-mortem.
        let tail = log.slice(-8_000);
        child.stderr.on('data', (more) => {
          tail = (tail + more).slice(-8_000);
        });
        server = child;
        child.once('exit', (code, signal) => {
          if (!stopping) fail(`postgres exited on its own (${code ?? signal}); its log ends:\n${tail}`);
        });
        resolve({ ok: true, log });
      }
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', onData);
    child.once('exit', () => resolve({ ok: false, log }));
  });
}

function stop() {
  stopping ??= (async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT'); // fast shutdown: disconnect clients, no checkpoint wait
      const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
  return stopping;
}

function fail(message) {
  process.stderr.write(`[pg-keeper] ${message}\n`);
  try {
    server?.kill('SIGKILL');
  } catch {}
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
