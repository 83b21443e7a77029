/**
 * Files completed per minute, as SVG bars drawn at the panel's own width (no chart library, no
 * inline styles; text is never stretched because the viewBox follows the measured width).
 */
import { useRef } from 'react';
import type { MinuteCount } from '../../ipc/contract';
import { useWidth } from '../hooks/useWidth';

export function ThroughputChart(props: { data: MinuteCount[]; nowMinute: number; minutes: number }) {
  const { data, nowMinute, minutes } = props;
  const ref = useRef<HTMLElement>(null);
  const w = useWidth(ref);
  const byMinute = new Map(data.map((d) => [d.minute, d.completed]));
  const values = Array.from({ length: minutes }, (_, i) => byMinute.get(nowMinute - minutes + 1 + i) ?? 0);
  const max = Math.max(1, ...values);
  const h = 140;
  const top = 18;
  const bw = w / minutes;
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${w} ${h + 18}`} width={w} height={h + 18} role="img" aria-label={`${total} files completed in the last ${minutes} minutes; at most ${max} in one minute`}>
        <line x1={0} y1={h} x2={w} y2={h} className="axis" />
        <line x1={0} y1={top} x2={w} y2={top} className="grid-line" />
        {values.map((v, i) =>
          v > 0 ? <rect key={i} x={i * bw + 1} y={h - (v / max) * (h - top)} width={Math.max(1, bw - 2)} height={(v / max) * (h - top)} className="bar" /> : null,
        )}
        <text x={0} y={h + 15} className="tick">
          {minutes} min ago
        </text>
        <text x={w} y={h + 15} className="tick" textAnchor="end">
          now
        </text>
        {total > 0 && (
          <text x={0} y={12} className="tick">
            {max} a minute
          </text>
        )}
      </svg>
      <figcaption>Files completed per minute, last {minutes} minutes: {total} in all.</figcaption>
    </figure>
  );
}
