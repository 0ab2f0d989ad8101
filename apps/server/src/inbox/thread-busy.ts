import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Linux's scheduler statistics of the calling thread: the time it ran on a CPU and the time it was
 * ready to run but waited for one (ns).
 */
const SCHEDSTAT = '/proc/thread-self/schedstat';

/** The calling thread's CPU time and run-queue wait so far in ms, or null where the system does not tell them. */
function threadSchedMs(): { cpu: number; waited: number } | null {
  try {
    const [cpu, waited] = readFileSync(SCHEDSTAT, 'latin1').split(' ').map(Number);
    return Number.isFinite(cpu) && Number.isFinite(waited) ? { cpu: (cpu as number) / 1e6, waited: (waited as number) / 1e6 } : null;
  } catch {
    return null;
  }
}

/**
 * How busy the calling thread was since the last sample (0..1). The event loop's utilisation alone
 * counts wall-clock time: on a machine whose cores other processes take, a callback waiting to be
 * scheduled again looks busy, so a thread that got little CPU looked saturated. The thread's own CPU
 * time (Linux) is what it really used; where it is not available, the utilisation is used as it is.
 */
export class ThreadBusy {
  private elu = performance.eventLoopUtilization();
  private sched = threadSchedMs();
  private at = performance.now();
  /** Of the last sample's window, the share the thread waited for a core (0 where the system does not tell). */
  waiting = 0;

  sample(): number {
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    const now = performance.now();
    const wallMs = now - this.at;
    this.at = now;
    const before = this.sched;
    this.sched = before === null ? null : threadSchedMs();
    this.waiting = 0;
    if (before === null || this.sched === null || wallMs <= 0) return elu.utilization;
    this.waiting = Math.min(1, Math.max(0, (this.sched.waited - before.waited) / wallMs));
    // CPU time spent outside the loop's callbacks (its own bookkeeping) never makes the loop busier than it was.
    return Math.min(elu.utilization, (this.sched.cpu - before.cpu) / wallMs);
  }
}
