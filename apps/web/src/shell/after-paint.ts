/** The Prioritized Task Scheduling API, where the browser has it (Chromium does). */
type Scheduler = { postTask(work: () => void, options: { priority: 'background' }): Promise<unknown> };

/**
 * Runs `work` after the frame being prepared has painted, and behind whatever else is waiting to run
 * (a background task): for what the screen that just painted doesn't need yet.
 */
export function afterPaint(work: () => void): void {
  const run = () => {
    const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
    if (scheduler) void scheduler.postTask(work, { priority: 'background' });
    else setTimeout(work);
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else run();
}
