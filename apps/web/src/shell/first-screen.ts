import { type Accessor, createEffect, createRoot, createSignal } from 'solid-js';
import { afterPaint } from './after-paint.ts';

/** However the app started, what waits for the first screen starts after this long at most. */
const AT_MOST_MS = 1000;

const state = createRoot(() => {
  const [painted, setPainted] = createSignal(false);
  return { painted, setPainted };
});

/**
 * Whether the first screen of data (the first rows of the ticket list) has painted. Reads it doesn't
 * need (refused changes, the unread count, server search) wait for it: on a phone-class CPU every
 * IndexedDB query at start-up delays the first rows. Reactive.
 */
export const firstScreenPainted: Accessor<boolean> = state.painted;

/** Runs `work` once the first screen has painted (at once if it has). */
export function whenFirstScreenPainted(work: () => void): void {
  createRoot((dispose) =>
    createEffect(() => {
      if (!state.painted()) return;
      dispose();
      work();
    }),
  );
}

let scheduled = false;
/** The first screen is in the DOM: the waiting reads start once it has painted. */
export function firstScreenShown(): void {
  if (scheduled) return;
  scheduled = true;
  afterPaint(() => state.setPainted(true));
}

if (typeof window !== 'undefined') setTimeout(() => state.setPainted(true), AT_MOST_MS);
