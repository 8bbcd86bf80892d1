import { burnLabel, windowLabel } from './format';
import type { BurnPair } from './queries';

const ROW = 46;
const LABEL = 150;
const WIDTH = 640;
const BAR = 14;

/**
 * Each burn-rate pair as two bars (long and short window) against the pair's threshold (a dashed line): a pair fires
 * when both bars cross it. The scale is logarithmic (0.1× to the largest of 2 × the top threshold and the burns), so
 * 1× and 14.4× both read.
 */
export function BurnChart({ pairs }: { pairs: BurnPair[] }) {
  if (pairs.length === 0) {
    return <p className="muted">No burn-rate pairs.</p>;
  }
  const top = Math.max(
    2 * Math.max(...pairs.map((pair) => pair.factor)),
    ...pairs.flatMap((pair) => [pair.longBurnRate, pair.shortBurnRate]),
  );
  const low = 0.1;
  const span = WIDTH - LABEL - 70;
  const x = (rate: number) => LABEL + (span * (Math.log10(Math.max(rate, low)) - Math.log10(low))) / (Math.log10(top) - Math.log10(low));
  const height = pairs.length * ROW + 24;
  return (
    <figure className="burn-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label="Burn rate of each window pair against its threshold">
        {[1, 10, 100]
          .filter((tick) => tick < top)
          .map((tick) => (
            <g key={tick}>
              <line x1={x(tick)} x2={x(tick)} y1={4} y2={height - 20} className="burn-grid" />
              <text x={x(tick)} y={height - 6} className="burn-axis" textAnchor="middle">
                {tick}×
              </text>
            </g>
          ))}
        {pairs.map((pair, index) => {
          const y = index * ROW + 6;
          const label = `${windowLabel(pair.longWindowMinutes)} / ${windowLabel(pair.shortWindowMinutes)}`;
          return (
            <g key={label} data-testid={`pair-${index}`} className={pair.firing ? 'burn-pair firing' : 'burn-pair'}>
              <text x={0} y={y + 12} className="burn-label">
                {label}
              </text>
              <text x={0} y={y + 28} className="burn-sub">
                {pair.severity.toLowerCase()} above {burnLabel(pair.factor)}
              </text>
              {(['long', 'short'] as const).map((window, row) => {
                const rate = window === 'long' ? pair.longBurnRate : pair.shortBurnRate;
                const over = rate > pair.factor;
                return (
                  <g key={window}>
                    <rect
                      x={LABEL}
                      y={y + row * (BAR + 2)}
                      width={Math.max(1, x(rate) - LABEL)}
                      height={BAR}
                      rx={2}
                      className={over ? 'burn-bar over' : 'burn-bar'}
                    >
                      <title>{`${window} window (${windowLabel(window === 'long' ? pair.longWindowMinutes : pair.shortWindowMinutes)}): ${burnLabel(rate)}`}</title>
                    </rect>
                    <text x={x(rate) + 4} y={y + row * (BAR + 2) + 11} className="burn-value">
                      {burnLabel(rate)}
                    </text>
                  </g>
                );
              })}
              <line x1={x(pair.factor)} x2={x(pair.factor)} y1={y - 3} y2={y + 2 * BAR + 5} className="burn-threshold">
                <title>{`threshold ${burnLabel(pair.factor)}`}</title>
              </line>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        Bars: burn over the long (upper) and short (lower) window; dashed line: the pair’s threshold. A pair fires when both cross it.
      </figcaption>
    </figure>
  );
}
