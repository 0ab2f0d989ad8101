// `npm start`: install, build, and run the server with the PWA and a demo workspace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build, install, root } from './lib.mjs';

install();
build();
console.log('\n▶ Start the server');
const server = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'apps/server/src/main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { DEMO: '1', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
