/** The seed's numbers, live. Failed stands out when it is not zero and opens Failures. */
import type { QueueStats } from '../../../ipc/contract';
import { minutes, num } from '../../format';

const KEYS: { key: keyof QueueStats; label: string; fmt?: (v: number) => string }[] = [
  { key: 'pending', label: 'Pending' },
  { key: 'processing', label: 'Processing' },
  { key: 'failed', label: 'Failed' },
  { key: 'completed_today', label: 'Completed today' },
  { key: 'avg_wait_time_minutes', label: 'Average wait', fmt: minutes },
  { key: 'oldest_pending_minutes', label: 'Oldest pending', fmt: minutes },
];

export function StatCards(props: { stats: QueueStats; stale: boolean }) {
  const { stats } = props;
  return (
    <dl className={props.stale ? 'cards stale' : 'cards'} aria-describedby={props.stale ? 'stale-note' : undefined}>
      {KEYS.map(({ key, label, fmt }) => {
        const v = stats[key] as number;
        const text = fmt ? fmt(v) : num(v);
        const failed = key === 'failed' && v > 0;
        return (
          <div className={failed ? 'card bad' : 'card'} key={key}>
            <dt>{label}</dt>
            <dd data-testid={`stat-${key}`} data-value={String(v)}>
              {failed ? (
                <a href="#/failures" data-testid="failed-link">
                  {text}
                  <span className="card-link"> See failures →</span>
                </a>
              ) : (
                text
              )}
            </dd>
          </div>
        );
      })}
      {props.stale && (
        <p id="stale-note" className="muted stale-note">
          Last known numbers; they update when the connection is back.
        </p>
      )}
    </dl>
  );
}
