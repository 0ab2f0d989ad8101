import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ThreadBusy } from '../../src/inbox/thread-busy.ts';

/** Blocks this thread for `ms` without using a CPU, as a thread waiting for a core other processes hold. */
function waitOffCpu(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Burns CPU.
  }
}

/** One window in which a callback runs `work`: the sample taken after it. */
async function windowOf(work: () => void): Promise<{ busy: number; elu: number }> {
  const busy = new ThreadBusy();
  const start = performance.eventLoopUtilization();
  await new Promise<void>((resolve) =>
    setTimeout(() => {
      work();
      resolve();
    }, 1),
  );
  return { busy: busy.sample(), elu: performance.eventLoopUtilization(start).utilization };
}

describe.runIf(process.platform === 'linux')('how busy the request thread was (ack pressure)', () => {
  it('does not count time the thread spent off the CPU inside a callback, which the event loop utilisation does', async () => {
    const waited = await windowOf(() => waitOffCpu(150));
    expect(waited.elu).toBeGreaterThan(0.8);
    expect(waited.busy).toBeLessThan(0.2);

    const spun = await windowOf(() => spin(150));
    expect(spun.busy).toBeGreaterThan(waited.busy);
  });
});
