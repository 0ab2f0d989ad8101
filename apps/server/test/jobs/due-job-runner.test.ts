import { afterEach, describe, expect, it, vi } from 'vitest';
import { DueJobRunner, retryAt } from '../../src/jobs/due-job-runner.ts';
import { monotonicClock } from '../../src/shared/clock.ts';

interface Job {
  id: number;
  key: string;
  dueAt: number;
  done: boolean;
  /** Leased to the runner when it was queued (offered), until then (ms): not claimable meanwhile unless given back. */
  leasedUntil?: number;
}

/** An in-memory stand-in for a durable queue table, and a handler whose sends the test releases. */
function queue(options: { concurrency?: number; handle?: (job: Job) => Promise<void> } = {}) {
  const jobs: Job[] = [];
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let dueCalls = 0;
  const gates = new Map<number, () => void>();
  const runner = new DueJobRunner<Job>({
    name: 'test jobs',
    clock: monotonicClock(),
    due: async (now) => {
      dueCalls += 1;
      return jobs.filter((j) => !j.done && (j.leasedUntil ?? 0) <= Date.parse(now) && j.dueAt <= Date.parse(now)).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
    },
    nextDueAt: async () => {
      const pending = jobs.filter((j) => !j.done).map((j) => j.dueAt);
      return pending.length ? new Date(Math.min(...pending)).toISOString() : null;
    },
    keyOf: (job) => job.key,
    release: async (job) => {
      job.leasedUntil = undefined;
    },
    concurrency: options.concurrency,
    handle:
      options.handle ??
      (async (job) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        log.push(`start ${job.key}${job.id}`);
        await new Promise<void>((resolve) => gates.set(job.id, resolve));
        log.push(`end ${job.key}${job.id}`);
        inFlight -= 1;
        job.done = true;
      }),
  });
  return {
    runner,
    jobs,
    log,
    add(key: string, dueInMs = 0) {
      const job: Job = { id: jobs.length + 1, key, dueAt: Date.now() + dueInMs, done: false };
      jobs.push(job);
      return job;
    },
    /** Releases the handler of a job once it has started. */
    async release(id: number) {
      await until(() => gates.has(id));
      gates.get(id)?.();
      gates.delete(id);
    },
    releaseAll() {
      for (const [id, open] of gates) {
        gates.delete(id);
        open();
      }
    },
    started: () => [...gates.keys()].sort((a, b) => a - b),
    get maxInFlight() {
      return maxInFlight;
    },
    get dueCalls() {
      return dueCalls;
    },
  };
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const runners: DueJobRunner<Job>[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) r.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('DueJobRunner', () => {
  it('runs up to `concurrency` rows at once and drains the queue, refilling a slot as soon as one frees', async () => {
    const q = queue({ concurrency: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) q.add(key);
    const run = q.runner.runDue();
    await until(() => q.started().length === 3);
    expect(q.started()).toEqual([1, 2, 3]);
    await q.release(2);
    await until(() => q.started().includes(4));
    expect(q.started()).toEqual([1, 3, 4]);
    for (const id of [1, 3, 4, 5]) await q.release(id);
    expect(await run).toBe(5);
    expect(q.maxInFlight).toBe(3);
    expect(q.jobs.every((j) => j.done)).toBe(true);
  });

  it('never runs two rows of the same key at once, and keeps their order', async () => {
    const q = queue({ concurrency: 4 });
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    const run = q.runner.runDue();
    await until(() => q.started().length === 2);
    expect(q.started()).toEqual([1, 3]);
    await q.release(3);
    await q.release(1);
    await q.release(2);
    await q.release(4);
    await run;
    const order = q.log.filter((l) => l.split(' ')[1]?.startsWith('a'));
    expect(order).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a4', 'end a4']);
  });

  it('answers the same run to concurrent callers; a kick during a run starts new rows without waiting for the slow one', async () => {
    const q = queue({ concurrency: 2 });
    runners.push(q.runner);
    q.runner.start();
    q.add('slow');
    q.runner.kick();
    await until(() => q.started().includes(1));
    expect(q.runner.runDue()).toBe(q.runner.runDue());
    q.add('fast');
    q.runner.kick();
    q.runner.kick();
    await q.release(2);
    await until(() => q.jobs[1]?.done === true);
    expect(q.jobs[0]?.done).toBe(false);
    await q.release(1);
    await q.runner.idle();
    expect(q.jobs.every((j) => j.done)).toBe(true);
  });

  it('wakes up for a row due later with a timer, and does nothing once stopped', async () => {
    vi.useFakeTimers();
    const q = queue();
    runners.push(q.runner);
    q.runner.start();
    const later = q.add('a', 80);
    // The first look (start's kick) finds nothing due yet and leaves one timer for the row.
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(79);
    expect(q.started()).toEqual([]);
    // Woken by that timer alone (nothing kicks it), exactly when the row falls due: the stalled
    // back-off is only for rows that are due but cannot start.
    await vi.advanceTimersByTimeAsync(1);
    expect(q.started()).toEqual([later.id]);
    await q.release(later.id);
    await q.runner.idle();
    expect(later.done).toBe(true);

    q.runner.stop();
    const after = q.add('b', 10);
    q.runner.kick();
    // Stopped: no timer left and a kick schedules nothing, so nothing can ever start.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(q.started()).toEqual([]);
    expect(after.done).toBe(false);
  });

  it('on stop, lets the rows being handled finish but starts no more (shutdown waits with idle())', async () => {
    const q = queue({ concurrency: 2 });
    runners.push(q.runner);
    for (const key of ['a', 'b', 'c']) q.add(key);
    q.runner.start();
    await until(() => q.started().length === 2);
    q.runner.stop();
    let idle = false;
    void q.runner.idle().then(() => {
      idle = true;
    });
    await q.release(1);
    // Everything the release set off is promise callbacks (no I/O, no timers): one macrotask turn
    // later they have all run, so the freed slot has been seen and row 3 was (not) started.
    await new Promise((resolve) => setImmediate(resolve));
    expect(q.jobs[0]?.done).toBe(true);
    expect(q.started()).toEqual([2]);
    expect(idle).toBe(false);
    await q.release(2);
    await q.runner.idle();
    expect(idle).toBe(true);
    expect(q.jobs.map((j) => j.done)).toEqual([true, true, false]);
    // start() again resumes the queue.
    q.runner.start();
    await q.release(3);
    await q.runner.idle();
    expect(q.jobs[2]?.done).toBe(true);
  });

  it('logs a handler that throws, keeps running the others, and does not spin on the broken row', async () => {
    vi.useFakeTimers();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handled: string[] = [];
    const q = queue({
      concurrency: 2,
      handle: async (job) => {
        if (job.key === 'broken') throw new Error('bug');
        handled.push(job.key);
        job.done = true;
      },
    });
    runners.push(q.runner);
    q.add('broken');
    q.add('ok');
    q.runner.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['ok']);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith('[desk] test jobs failed', expect.any(Error));
    // The broken row is still due, but the run that skipped it leaves a timer for the stalled
    // back-off (a second), not a busy loop: nothing at all happens until then.
    const calls = q.dueCalls;
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(q.dueCalls).toBe(calls);
    expect(error).toHaveBeenCalledTimes(1);
    // Then it tries once more.
    await vi.advanceTimersByTimeAsync(1);
    expect(q.dueCalls).toBeGreaterThan(calls);
    expect(error).toHaveBeenCalledTimes(2);
    q.add('ok');
    q.runner.kick();
    await vi.advanceTimersByTimeAsync(0);
    await q.runner.idle();
    expect(handled).toEqual(['ok', 'ok']);
  });
});

describe('DueJobRunner offers (rows leased to it as they were queued)', () => {
  it('starts an offered row without looking at the table, and keeps its key one at a time and in order', async () => {
    const q = queue({ concurrency: 4 });
    runners.push(q.runner);
    q.runner.start();
    await until(() => q.dueCalls > 0);
    await q.runner.idle();
    const calls = q.dueCalls;
    const first = q.add('a');
    const offered = q.add('b');
    offered.leasedUntil = Date.now() + 60_000;
    q.runner.offer(offered, 60_000);
    await until(() => q.started().includes(offered.id));
    // The offer alone started it: no claim.
    expect(q.dueCalls).toBe(calls);
    expect(first.done).toBe(false);
    await q.release(offered.id);
    await q.runner.idle();
    // A key already running: the offered row waits for it, then runs.
    q.runner.kick();
    await until(() => q.started().includes(first.id));
    const behind = q.add('a');
    behind.leasedUntil = Date.now() + 60_000;
    q.runner.offer(behind, 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(q.started()).toEqual([first.id]);
    await q.release(first.id);
    await q.release(behind.id);
    await q.runner.idle();
    expect(q.log.filter((l) => l.endsWith('a1') || l.endsWith('a3'))).toEqual(['start a1', 'end a1', 'start a3', 'end a3']);
  });

  it('gives an offered row back to the table when it is stopped, or when the row waited past its lease', async () => {
    const q = queue({ concurrency: 1 });
    runners.push(q.runner);
    const offered = q.add('a');
    offered.leasedUntil = Date.now() + 60_000;
    // Stopped: the row is not lost, it is claimable again.
    q.runner.offer(offered, 60_000);
    await until(() => offered.leasedUntil === undefined);

    q.runner.start();
    await until(() => q.started().includes(offered.id));
    const stale = q.add('b');
    stale.leasedUntil = Date.now();
    // Its lease runs out while the only slot is busy: the runner leaves it to the claims.
    q.runner.offer(stale, 0);
    await q.release(offered.id);
    await until(() => q.started().includes(stale.id));
    await q.release(stale.id);
    await q.runner.idle();
    expect(q.jobs.every((j) => j.done)).toBe(true);

    // Stopped right after an offer, before its run began (a commit's hand-over during shutdown): given back, not started.
    const late = q.add('c');
    late.leasedUntil = Date.now() + 60_000;
    q.runner.offer(late, 60_000);
    q.runner.stop();
    await q.runner.idle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.leasedUntil).toBeUndefined();
    expect(q.started()).toEqual([]);
  });
});

describe('retryAt', () => {
  const policy = { baseDelayMs: 1_000, maxDelayMs: 5_000, maxAttempts: 5 };
  const now = '2025-01-01T00:00:00.000Z';
  it('doubles the delay each attempt up to the maximum, and gives up after the last attempt', async () => {
    const delays = [1, 2, 3, 4].map((attempts) => Date.parse(retryAt(policy, attempts, now) as string) - Date.parse(now));
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(retryAt(policy, 5, now)).toBeNull();
  });
});
