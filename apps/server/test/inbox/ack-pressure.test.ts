import { describe, expect, it } from 'vitest';
import { acksStarving, waitsCausedByProcessor } from '../../src/inbox/ack-pressure.ts';

/** A processing thread that ran `busy` of the window and never waited for a core: the machine is its and the request thread's. */
const alone = (busy: number) => ({ busy, waiting: 0 });

describe('when the processor gives way to the acknowledgements (ack pressure)', () => {
  it('counts the request thread’s waits for a core only as far as the processing thread itself ran meanwhile', () => {
    // The request thread ran 30 % of the window and waited 60 % for a core.
    const waitedForACore = { busy: 0.3, waiting: 0.6, arrivals: 40 };
    // The processor ran 80 % of it: it took the core the webhooks waited for, so it gives way.
    expect(acksStarving(waitedForACore, alone(0.8))).toBe(true);
    // The processor ran 5 %: other processes held the cores, and pausing the processor would not help.
    expect(acksStarving(waitedForACore, alone(0.05))).toBe(false);
  });

  it('on a machine other processes crowd (the processor waits for a core as long as it runs), keeps processing at full pace', () => {
    const waitedForACore = { busy: 0.3, waiting: 0.6, arrivals: 40 };
    // The same processor share, but it waited for a core three times as long as it ran: a pause frees a
    // core that the other runnable threads take, the replies would wait for nothing.
    expect(acksStarving(waitedForACore, { busy: 0.4, waiting: 1 })).toBe(false);
    expect(acksStarving(waitedForACore, alone(0.4))).toBe(true);
    expect(waitsCausedByProcessor(0.6, { busy: 0.4, waiting: 0.4 })).toBeCloseTo(0.2);
    expect(waitsCausedByProcessor(0.6, { busy: 0, waiting: 0.4 })).toBe(0);
  });

  it('gives way while the request thread runs more than half the time with webhooks arriving, and never without arrivals', () => {
    expect(acksStarving({ busy: 0.6, waiting: 0, arrivals: 40 }, alone(0))).toBe(true);
    expect(acksStarving({ busy: 0.6, waiting: 0, arrivals: 40 }, { busy: 0.3, waiting: 0.9 })).toBe(true);
    expect(acksStarving({ busy: 0.4, waiting: 0, arrivals: 40 }, alone(1))).toBe(false);
    expect(acksStarving({ busy: 0.9, waiting: 0.9, arrivals: 0 }, alone(1))).toBe(false);
  });
});
