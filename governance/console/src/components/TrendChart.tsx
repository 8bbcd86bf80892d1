import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface TrendSeries {
  label: string;
  /** one value per month, null where there is none (a gap, never a zero) */
  values: (number | null)[];
  color: string;
  dashed?: boolean;
}

export interface TrendChartProps {
  title: string;
  /** YYYY-MM, oldest first */
  months: string[];
  series: TrendSeries[];
  /** how a value is shown on the axis and in the legend */
  format: (value: number) => string;
  height?: number;
  /** shown instead of the chart when no series has a value */
  empty?: string;
}

/** The x value of a month: its first day at 00:00 UTC, in seconds (uPlot's time scale). */
export const monthTime = (month: string): number => Date.parse(`${month}-01T00:00:00Z`) / 1000;

/** A monthly trend as lines (uPlot on a canvas); the table under it carries the same figures for screen readers. */
export function TrendChart({ title, months, series, format, height = 220, empty = 'No figures in this range.' }: TrendChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const hasData = series.some((line) => line.values.some((value) => value !== null));
  useEffect(() => {
    const element = host.current;
    if (!element || !hasData) {
      return;
    }
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height,
        // series names only: the table of figures is the place to read values
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          {
            values: (_, ticks) => ticks.map((tick) => new Date(tick * 1000).toISOString().slice(0, 7)),
            stroke: '#6b7280',
            grid: { stroke: '#eceef1' },
          },
          { values: (_, ticks) => ticks.map(format), stroke: '#6b7280', grid: { stroke: '#eceef1' }, size: 72 },
        ],
        series: [
          { value: (_, tick) => (tick === null ? '—' : new Date(tick * 1000).toISOString().slice(0, 7)) },
          ...series.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: 2,
            dash: line.dashed ? [6, 4] : undefined,
            points: { size: 5 },
            value: (_: uPlot, value: number | null) => (value === null ? '—' : format(value)),
          })),
        ],
      },
      [months.map(monthTime), ...series.map((line) => line.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [months, series, format, height, hasData]);
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      {hasData ? (
        <div ref={host} className="chart-canvas" aria-hidden="true" />
      ) : (
        <p className="chart-empty" style={{ height }}>
          {empty}
        </p>
      )}
    </figure>
  );
}
