export function ProgressBar(props: { value: number; max: number; label: string; paused?: boolean }) {
  const pct = props.max > 0 ? Math.min(100, (props.value / props.max) * 100) : 0;
  return (
    <div
      className={props.paused ? 'progress paused' : 'progress'}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={props.max}
      aria-valuenow={props.value}
      aria-valuetext={`${Math.floor(pct)}%: ${props.value.toLocaleString()} of ${props.max.toLocaleString()}${props.paused ? ', paused' : ''}`}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
