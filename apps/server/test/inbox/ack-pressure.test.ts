import { describe, expect, it } from 'vitest';
import { ACK_LAG_MS, AckPressureGauge, type AckPressureReport, acksStarving } from '../../src/inbox/ack-pressure.ts';

describe('when the processor gives way to the acknowledgements (ack pressure)', () => {
  it('counts the request thread’s waits for a core only as far as the processing thread itself ran meanwhile', () => {
    // The request thread ran 30 % of the window and waited 60 % for a core.
    const waitedForACore = { busy: 0.3, waiting: 0.6, lagMs: 10, arrivals: 40 };
    // The processor ran 80 % of it: it took the core the webhooks waited for, so it gives way.
    expect(acksStarving(waitedForACore, 0.8)).toBe(true);
    // The processor ran 5 %: other processes held the cores, and pausing the processor would not help.
    expect(acksStarving(waitedForACore, 0.05)).toBe(false);
  });

  it('gives way while the request thread runs more than half the time with webhooks arriving, and never without arrivals', () => {
    expect(acksStarving({ busy: 0.6, waiting: 0, lagMs: 10, arrivals: 40 }, 0)).toBe(true);
    expect(acksStarving({ busy: 0.4, waiting: 0, lagMs: 10, arrivals: 40 }, 1)).toBe(false);
    expect(acksStarving({ busy: 0.9, waiting: 0.9, lagMs: 10, arrivals: 0 }, 1)).toBe(false);
  });

  it('does not hold the processor back while the acknowledgements are answered at once, however the cores are shared', () => {
    // Busy and waiting for a core, yet the event loop runs on time: the replies need the processor more.
    expect(acksStarving({ busy: 0.4, waiting: 0.5, lagMs: 0.3, arrivals: 40 }, 0.9)).toBe(false);
    expect(acksStarving({ busy: 0.4, waiting: 0.5, lagMs: ACK_LAG_MS + 1, arrivals: 40 }, 0.9)).toBe(true);
  });

  it('reports how late the request thread’s event loop ran while webhooks came in', async () => {
    const reports: AckPressureReport[] = [];
    let blocked!: () => void;
    const sawBlockedWindow = new Promise<void>((resolve) => (blocked = resolve));
    const gauge = new AckPressureGauge((report) => {
      reports.push(report);
      if (report.lagMs > ACK_LAG_MS) blocked();
    });
    try {
      // Webhooks arrive while the thread runs in 20 ms stretches: each answer waits for one.
      let stop = false;
      const hog = () => {
        if (stop) return;
        gauge.arrived();
        const until = performance.now() + 20;
        while (performance.now() < until);
        setImmediate(hog);
      };
      hog();
      await sawBlockedWindow;
      stop = true;
    } finally {
      gauge.stop();
    }
    const late = reports.find((report) => report.lagMs > ACK_LAG_MS) as AckPressureReport;
    expect(late.arrivals).toBeGreaterThan(0);
    expect(late.lagMs).toBeGreaterThan(10);
  });
});
