/**
 * Draws one chart with uPlot, loaded on demand (a dynamic import: only the Reports page pulls it in,
 * never the initial JavaScript). Categories on the x axis (days or intents), one series per
 * channel / status; stacked series are drawn as running totals, the largest first.
 */
export interface ChartSpec {
  kind: 'stacked-bars' | 'bars' | 'stacked-area';
  categories: readonly string[];
  series: readonly { label: string; values: readonly number[] }[];
  /** Values are shares (0–1), shown as percentages. */
  percent?: boolean;
}

/** Okabe–Ito: told apart with colour-blindness, readable on the light and the dark theme. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];

export async function drawChart(target: HTMLElement, spec: ChartSpec): Promise<() => void> {
  const [{ default: uPlot }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]);
  const ink = getComputedStyle(target).color;
  const grid = getComputedStyle(target).borderTopColor;
  const xs = spec.categories.map((_, i) => i);
  const stacked = spec.kind !== 'bars';
  let running = xs.map(() => 0);
  const totals = spec.series.map((s) => {
    running = running.map((sum, i) => sum + (s.values[i] ?? 0));
    return stacked ? running : s.values.map((v) => v);
  });
  const order = stacked ? [...spec.series.keys()].reverse() : [...spec.series.keys()];
  const bars = uPlot.paths.bars?.({ size: [0.7, 48] });
  const format = (v: number) => (spec.percent ? `${Math.round(v * 100)}%` : String(Math.round(v * 100) / 100));
  const plot = new uPlot(
    {
      width: Math.max(260, target.clientWidth),
      height: 220,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [
        { stroke: ink, grid: { show: false }, ticks: { stroke: grid }, values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (spec.categories[i] ?? '') : '')) },
        { stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid }, values: (_u, splits) => splits.map(format), size: 48 },
      ],
      series: [
        {},
        ...order.map((index) => {
          const color = PALETTE[index % PALETTE.length] as string;
          return {
            label: spec.series[index]?.label ?? '',
            stroke: color,
            fill: spec.kind === 'stacked-area' ? `${color}99` : color,
            width: spec.kind === 'stacked-area' ? 2 : 0,
            points: { show: false },
            ...(spec.kind === 'stacked-area' ? {} : bars ? { paths: bars } : {}),
          };
        }),
      ],
    },
    [xs, ...order.map((index) => [...(totals[index] ?? [])])],
    target,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(260, target.clientWidth), height: 220 }));
  resize.observe(target);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
