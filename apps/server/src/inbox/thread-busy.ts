import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Linux's scheduler statistics of the calling thread: its first field is the time it ran on a CPU (ns). */
const SCHEDSTAT = '/proc/thread-self/schedstat';

/** The calling thread's CPU time so far in ms, or null where the system does not tell it. */
function threadCpuMs(): number | null {
  try {
    const text = readFileSync(SCHEDSTAT, 'latin1');
    const ns = Number(text.slice(0, text.indexOf(' ')));
    return Number.isFinite(ns) ? ns / 1e6 : null;
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
  private cpuMs = threadCpuMs();
  private at = performance.now();

  sample(): number {
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    const now = performance.now();
    const wallMs = now - this.at;
    this.at = now;
    const before = this.cpuMs;
    this.cpuMs = before === null ? null : threadCpuMs();
    if (before === null || this.cpuMs === null || wallMs <= 0) return elu.utilization;
    // CPU time spent outside the loop's callbacks (its own bookkeeping) never makes the loop busier than it was.
    return Math.min(elu.utilization, (this.cpuMs - before) / wallMs);
  }
}
