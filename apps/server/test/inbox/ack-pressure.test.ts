import { describe, expect, it } from 'vitest';
import { acksStarving } from '../../src/inbox/ack-pressure.ts';

describe('when the processor gives way to the acknowledgements (ack pressure)', () => {
  it('counts the request thread’s waits for a core only as far as the processing thread itself ran meanwhile', () => {
    // The request thread ran 30 % of the window and waited 60 % for a core.
    const waitedForACore = { busy: 0.3, waiting: 0.6, arrivals: 40 };
    // The processor ran 80 % of it: it took the core the webhooks waited for, so it gives way.
    expect(acksStarving(waitedForACore, 0.8)).toBe(true);
    // The processor ran 5 %: other processes held the cores, and pausing the processor would not help.
    expect(acksStarving(waitedForACore, 0.05)).toBe(false);
  });

  it('gives way while the request thread runs more than half the time with webhooks arriving, and never without arrivals', () => {
    expect(acksStarving({ busy: 0.6, waiting: 0, arrivals: 40 }, 0)).toBe(true);
    expect(acksStarving({ busy: 0.4, waiting: 0, arrivals: 40 }, 1)).toBe(false);
    expect(acksStarving({ busy: 0.9, waiting: 0.9, arrivals: 0 }, 1)).toBe(false);
  });
});
