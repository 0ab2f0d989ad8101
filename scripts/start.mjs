// `npm start`: install, build, and run the server with the PWA and a demo workspace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build, install, root } from './lib.mjs';

install();
build();
console.log('\n▶ Start the server');
// The build (apps/server/build.mjs): plain JavaScript, no TypeScript runner at run time.
const server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { DEMO: '1', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
