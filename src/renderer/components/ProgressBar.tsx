export function ProgressBar(props: { value: number; max: number; label: string }) {
  const pct = props.max > 0 ? Math.min(100, (props.value / props.max) * 100) : 100;
  return (
    <div className="progress" role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={props.max} aria-valuenow={props.value}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
