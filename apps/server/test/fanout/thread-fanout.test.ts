import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FanoutPoke } from '../../src/fanout/fanout-bus.ts';
import { ThreadFanout } from '../../src/fanout/thread-fanout.ts';

const open: ThreadFanout[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

function pair(): [ThreadFanout, ThreadFanout] {
  const { port1, port2 } = new MessageChannel();
  const buses: [ThreadFanout, ThreadFanout] = [new ThreadFanout(port1), new ThreadFanout(port2)];
  open.push(...buses);
  return buses;
}

describe('the fan-out between the request and processing threads', () => {
  it('delivers a poke here at once and on the other side as from elsewhere', async () => {
    const [request, processing] = pair();
    const here: FanoutPoke[] = [];
    const there: FanoutPoke[] = [];
    request.subscribe('webchat', (poke) => here.push(poke));
    const arrived = new Promise<void>((resolve) =>
      processing.subscribe('webchat', (poke) => {
        there.push(poke);
        resolve();
      }),
    );
    request.publish('webchat', 'visitor-1');
    expect(here).toEqual([{ kind: 'published', payload: 'visitor-1', origin: 'here' }]);
    await arrived;
    expect(there).toEqual([{ kind: 'published', payload: 'visitor-1', origin: 'elsewhere' }]);
  });

  it("sends a turn's repeated pokes once, and of its sync cursors the newest only", async () => {
    const [request, processing] = pair();
    const jobs: string[] = [];
    const cursors: string[] = [];
    processing.subscribe('jobs', (poke) => poke.kind === 'published' && jobs.push(poke.payload));
    const synced = new Promise<void>((resolve) =>
      processing.subscribe('sync', (poke) => {
        if (poke.kind === 'published') cursors.push(poke.payload);
        resolve();
      }),
    );
    for (let i = 0; i < 50; i += 1) request.publish('jobs', 'inbox');
    request.publish('jobs', 'outbox');
    request.publish('sync', '41');
    request.publish('sync', '43');
    request.publish('sync', '42');
    await synced;
    expect(jobs).toEqual(['inbox', 'outbox']);
    expect(cursors).toEqual(['43']);
  });

  it('under a stream of pokes, crosses at most once every 2 ms and loses none of them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    const { port1, port2 } = new MessageChannel();
    const sender = new ThreadFanout(port1);
    open.push(sender, new ThreadFanout(port2));
    const posted = vi.spyOn(port1, 'postMessage');
    sender.publish('webchat', 'visitor-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toHaveBeenCalledTimes(1);
    // The next turns' pokes wait for the gap, then cross together.
    sender.publish('webchat', 'visitor-2');
    await vi.advanceTimersByTimeAsync(0);
    sender.publish('webchat', 'visitor-3');
    await vi.advanceTimersByTimeAsync(1);
    expect(posted).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(posted).toHaveBeenCalledTimes(2);
    expect(posted.mock.calls[1]?.[0]).toEqual({ pokes: [['webchat', 'visitor-2'], ['webchat', 'visitor-3']] });
    // After a quiet spell a poke crosses at the end of its own turn again.
    await vi.advanceTimersByTimeAsync(10);
    sender.publish('webchat', 'visitor-4');
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toHaveBeenCalledTimes(3);
  });

  it('crosses at most once per the gap it is given (the processing thread’s end: 8 ms), the first poke after a quiet spell at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    const { port1, port2 } = new MessageChannel();
    const sender = new ThreadFanout(port1, { minGapMs: 8 });
    open.push(sender, new ThreadFanout(port2));
    const posted = vi.spyOn(port1, 'postMessage');
    sender.publish('sync', '1');
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toHaveBeenCalledTimes(1);
    sender.publish('sync', '2');
    sender.publish('jobs', 'outbox');
    await vi.advanceTimersByTimeAsync(7);
    expect(posted).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(posted).toHaveBeenCalledTimes(2);
    expect(posted.mock.calls[1]?.[0]).toEqual({ pokes: [['sync', '2'], ['jobs', 'outbox']] });
  });
});
