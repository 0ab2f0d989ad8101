/** One event of a Chromium trace (the JSON trace format), as the trace-reading bench tools use it. */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event (µs): unlike `dur`, not stretched by waiting for a core on a loaded machine. */
  tdur?: number;
  id?: string;
  args?: Record<string, unknown>;
}
