import { createEffect, onCleanup } from 'solid-js';
import { type ChartSpec, drawChart } from './report-chart.ts';

/** The chart (decorative for screen readers: the data table beside it carries the same numbers). */
export function Chart(props: { spec: ChartSpec; label: string }) {
  let target: HTMLDivElement | undefined;
  let dispose: (() => void) | null = null;
  let generation = 0;
  createEffect(() => {
    const spec = props.spec;
    const mine = ++generation;
    dispose?.();
    dispose = null;
    if (!target) return;
    target.replaceChildren();
    void drawChart(target, spec).then((stop) => {
      if (mine === generation) dispose = stop;
      else stop();
    });
  });
  onCleanup(() => {
    generation += 1;
    dispose?.();
  });
  return <div class="report-chart" ref={target} role="img" aria-label={props.label} />;
}
