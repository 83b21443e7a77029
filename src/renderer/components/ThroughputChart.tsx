/** Files completed per minute over the last hour, as SVG bars (no chart library, no inline styles). */
import type { MinuteCount } from '../../ipc/contract';

export function ThroughputChart(props: { data: MinuteCount[]; nowMinute: number; minutes: number }) {
  const { data, nowMinute, minutes } = props;
  const byMinute = new Map(data.map((d) => [d.minute, d.completed]));
  const values = Array.from({ length: minutes }, (_, i) => byMinute.get(nowMinute - minutes + 1 + i) ?? 0);
  const max = Math.max(1, ...values);
  const w = 600;
  const h = 120;
  const bw = w / minutes;
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${w} ${h + 16}`} role="img" aria-label={`${total} files completed in the last ${minutes} minutes; peak ${max} per minute`}>
        <line x1={0} y1={h} x2={w} y2={h} className="axis" />
        {values.map((v, i) =>
          v > 0 ? <rect key={i} x={i * bw + 1} y={h - (v / max) * h} width={Math.max(1, bw - 2)} height={(v / max) * h} className="bar" /> : null,
        )}
        <text x={0} y={h + 14} className="tick">
          -{minutes} min
        </text>
        <text x={w} y={h + 14} className="tick" textAnchor="end">
          now
        </text>
        <text x={0} y={12} className="tick">
          peak {max}/min
        </text>
      </svg>
      <figcaption>Files completed per minute, last {minutes} minutes</figcaption>
    </figure>
  );
}
