/** The work in hand: a bar, what is done and left, the time left at the working pace, pause/resume. */
import { useState } from 'react';
import { api, useAction } from '../../api/client';
import { Messages } from '../../components/Messages';
import { ProgressBar } from '../../components/ProgressBar';
import { num, plural } from '../../format';
import { duration, etaSentence } from '../../progress';
import { askToNotify, dismissNotifyOffer, notifyState } from '../../state/notify';
import { acceptStats, type QueueState } from '../../state/queue';

function NotifyOffer() {
  const [state, setState] = useState(notifyState);
  const [said, setSaid] = useState<string | null>(null);
  if (said) return <p className="muted" role="status">{said}</p>;
  if (state !== 'ask') return null;
  return (
    <p className="row" data-testid="notify-offer">
      <button type="button" className="small" onClick={() => void askToNotify().then((m) => (setSaid(m), setState(notifyState())))}>
        Notify me when a batch is done
      </button>
      <button type="button" className="small quiet" onClick={() => (dismissNotifyOffer(), setState('dismissed'))}>
        No thanks
      </button>
    </p>
  );
}

export function BatchProgress(props: { q: QueueState; connected: boolean }) {
  const { stats, batch, rate } = props.q;
  const action = useAction();
  if (!stats || !batch) return null;
  const state = !props.connected ? 'Disconnected' : stats.paused ? 'Paused' : batch.left > 0 ? 'Running' : 'Idle';
  return (
    <section aria-labelledby="batch-title" className="panel">
      <div className="row spread">
        <h2 id="batch-title">{batch.left === 0 && batch.done > 0 ? 'Last batch' : 'Work in hand'}</h2>
        <span data-testid="queue-state" className={`badge big ${state === 'Running' || state === 'Idle' ? 'ok' : state === 'Paused' ? 'warn' : 'bad'}`}>
          {state === 'Idle' ? 'Running' : state}
        </span>
      </div>
      <ProgressBar value={batch.done} max={batch.total} label="Files of this batch finished" paused={stats.paused} />
      <p data-testid="progress-text">
        {batch.total === 0 ? (
          'No files in hand.'
        ) : (
          <>
            {num(batch.done)} of {num(batch.total)} files finished ({num(batch.completed)} completed,{' '}
            {batch.failed > 0 ? <a href="#/failures">{num(batch.failed)} failed</a> : '0 failed'}, {num(batch.cancelled)} cancelled
            {batch.known ? `; batch started ${duration(Date.now() - batch.startedAt)} ago` : '; counted since this window opened'}).
          </>
        )}{' '}
        <span data-testid="eta">{props.connected ? etaSentence(batch, stats.paused, rate) : 'No estimate while disconnected.'}</span>
      </p>
      {stats.processing > 0 && <p className="muted">{plural(stats.processing, 'file')} being read now.</p>}
      <div className="row">
        {stats.paused ? (
          <button type="button" data-testid="resume" disabled={!!action.busy || !props.connected} onClick={() => void action.run('Resuming', () => api.resume(), (s) => (acceptStats(s), 'Queue resumed.'))}>
            Resume queue
          </button>
        ) : (
          <button type="button" data-testid="pause" disabled={!!action.busy || !props.connected} onClick={() => void action.run('Pausing', () => api.pause(), (s) => (acceptStats(s), 'Queue paused: running files finish, no new file starts.'))}>
            Pause queue
          </button>
        )}
      </div>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      <NotifyOffer />
    </section>
  );
}
