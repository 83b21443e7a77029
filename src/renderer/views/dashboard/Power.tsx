/**
 * How many workers may run and why (battery, idle, schedule), from the stats every host publishes,
 * and "Run at full speed now" for the current batch when this host runs workers. Signals this
 * machine does not report are named, since their rules then do not apply.
 */
import { useEffect, useState } from 'react';
import { describeWorkers, type PowerView, type QueueStats } from '../../../ipc/contract';
import { api, useAction } from '../../api/client';
import { Messages } from '../../components/Messages';

/** The source's reasons are sentences already ("idle time is not available here: ..."). */
const sentence = (why: string) => why.charAt(0).toUpperCase() + why.slice(1) + (why.endsWith('.') ? '' : '.');

export function Power(props: { stats: QueueStats }) {
  const { stats } = props;
  const [power, setPower] = useState<PowerView | null>(null);
  const action = useAction();
  // This host's own view (override, unavailable signals); a host without workers answers no_worker.
  useEffect(() => {
    void api.power().then((r) => setPower(r.ok ? r.value : null));
  }, [stats.workersAllowed, stats.throttleReason]);
  const line = describeWorkers(stats);
  if (line === null && !power) return null;
  const missing = power ? (Object.entries(power.unavailable) as [keyof PowerView['unavailable'], string][]) : [];
  return (
    <section aria-labelledby="power-title">
      <h2 id="power-title">Battery, idle and schedule</h2>
      <p data-testid="power-status" data-throttled={stats.throttleReason ? 'yes' : 'no'}>
        {line ?? 'No worker host is running.'}
      </p>
      {power?.override && (
        <p data-testid="power-override">
          Running at full speed until the queue is empty{power.overridden ? ` (instead of ${power.overridden})` : ''}.{' '}
          <button type="button" disabled={!!action.busy} onClick={() => void action.run('Ending', () => api.endFullSpeed(), (v) => (setPower(v), 'Limits apply again.'))}>
            Apply the limits again
          </button>
        </p>
      )}
      {power && !power.override && power.throttleReason && (
        <button type="button" disabled={!!action.busy} onClick={() => void action.run('Starting', () => api.runFullSpeedNow(), (v) => (setPower(v), `Running at full speed (${v.workersAllowed} workers) until the queue is empty.`))}>
          Run at full speed now
        </button>
      )}
      {missing.length > 0 && (
        <ul className="muted" data-testid="power-unavailable">
          {missing.map(([k, why]) => (
            <li key={k}>{sentence(why)}</li>
          ))}
        </ul>
      )}
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
    </section>
  );
}
