/**
 * Charts drawn on the server as SVG with d3's scales and shapes (docs/decisions/0046): no script
 * in the browser, no inline style (the CSP forbids it: colours and text anchors are classes of
 * public/kairos.css). Each chart is an image with a title and a description, and the page puts
 * the same figures in a table beside it, which is what screen readers and keyboards use.
 */
import { max } from 'd3-array';
import { scaleBand, scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';

const number = new Intl.NumberFormat('fr-FR');
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const monthName = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export const formatNumber = (v: number) => number.format(v);
export const formatRate = (v: number | null) => (v === null ? '—' : percent.format(v));
export const formatDays = (v: number | null) => (v === null ? '—' : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(v)} j`);
export const formatMonth = (month: string) => monthName.format(new Date(`${month}-01T00:00:00Z`));

interface BarDatum {
  label: string;
  value: number;
  /** What the bar's end says (the value formatted). */
  text: string;
}

/** Horizontal bars, one per row; `domainMax` fixes the scale (1 for rates). */
export function BarChart({ id, title, desc, data, domainMax }: { id: string; title: string; desc: string; data: BarDatum[]; domainMax?: number }) {
  const labelWidth = 180;
  const width = 560;
  const barHeight = 26;
  const height = Math.max(1, data.length) * barHeight + 8;
  const y = scaleBand<string>().domain(data.map((d, i) => `${i}`)).range([4, height - 4]).padding(0.2);
  const x = scaleLinear().domain([0, domainMax ?? Math.max(1, max(data, (d) => d.value) ?? 0)]).range([0, width - labelWidth - 70]);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${id}-titre ${id}-desc`} focusable="false">
      <title id={`${id}-titre`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {data.map((d, i) => {
        const top = y(`${i}`) ?? 0;
        const mid = top + y.bandwidth() / 2;
        return (
          <g>
            <text class="chart-label" x={labelWidth - 8} y={mid}>
              {d.label.length > 28 ? `${d.label.slice(0, 27)}…` : d.label}
            </text>
            <rect class={`chart-bar chart-series-${i % 4}`} x={labelWidth} y={top} width={Math.max(0, x(d.value))} height={y.bandwidth()} />
            <text class="chart-value" x={labelWidth + Math.max(0, x(d.value)) + 6} y={mid}>
              {d.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface Series {
  key: string;
  label: string;
  values: number[];
}

/** Lines over months, one per series, with a legend; the x axis names every other month. */
export function LineChart({ id, title, desc, months, series }: { id: string; title: string; desc: string; months: string[]; series: Series[] }) {
  const width = 640;
  const height = 260;
  const margin = { top: 12, right: 16, bottom: 48, left: 44 };
  const x = scalePoint<string>().domain(months).range([margin.left, width - margin.right]).padding(0.3);
  const top = Math.max(1, max(series.flatMap((s) => s.values)) ?? 0);
  const y = scaleLinear().domain([0, top]).nice().range([height - margin.bottom, margin.top]);
  const ticks = y.ticks(4);
  const path = line<number>()
    .x((_, i) => x(months[i]!) ?? 0)
    .y((v) => y(v));
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${id}-titre ${id}-desc`} focusable="false">
      <title id={`${id}-titre`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {ticks.map((t) => (
        <g>
          <line class="chart-grid" x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} />
          <text class="chart-label" x={margin.left - 6} y={y(t)}>
            {number.format(t)}
          </text>
        </g>
      ))}
      {months.map((m, i) =>
        i % 2 === 0 ? (
          <text class="chart-axis" x={x(m) ?? 0} y={height - margin.bottom + 16}>
            {formatMonth(m)}
          </text>
        ) : null,
      )}
      {series.map((s, i) => (
        <path class={`chart-line chart-series-${i % 4}`} d={path(s.values) ?? ''} />
      ))}
      {series.map((s, i) => (
        <g>
          <rect class={`chart-bar chart-series-${i % 4}`} x={margin.left + i * 150} y={height - 16} width={12} height={12} />
          <text class="chart-legend" x={margin.left + i * 150 + 18} y={height - 10}>
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
