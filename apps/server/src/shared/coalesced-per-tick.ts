/**
 * `run` at most once per turn of the event loop, however often the answer is called in it: a batch
 * that stores many messages announces its work once.
 */
export function coalescedPerTick(run: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      run();
    });
  };
}
