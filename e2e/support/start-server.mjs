// Starts the real server on loopback with a fresh SQLite file and the demo workspace, for Playwright.
import { startDesk } from './desk-process.mjs';

const child = startDesk(process.env.E2E_PORT ?? '8181');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
