/** Everything about one job, in full: path, state, the whole error text and what to do about it. */
import { useEffect, useRef } from 'react';
import type { JobListRow } from '../../../ipc/contract';
import { bytes, time } from '../../format';
import { jobDuration, kindReason, shortDuration, statusText } from './labels';

export function JobDetails(props: { r: JobListRow; now: number; onClose: () => void; onOpen: () => void; onRemove: () => void; busy: boolean }) {
  const { r } = props;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [r.id]);
  const reason = kindReason(r.errorKind);
  return (
    <section id="job-details" className="panel details" aria-labelledby="job-details-title" tabIndex={-1} ref={ref} data-testid="job-details">
      <div className="row spread">
        <h2 id="job-details-title">Job details</h2>
        <button type="button" className="small" onClick={props.onClose}>
          Close details
        </button>
      </div>
      <dl className="summary">
        <dt>File</dt>
        <dd className="path">{r.path}</dd>
        <dt>Status</dt>
        <dd>
          {statusText(r.status, r.errorKind)}
          {r.status === 'processing' && r.progressPage ? `, page ${r.progressPage} of ${r.progressPages ?? '?'}` : ''}
        </dd>
        {r.errorMessage && (
          <>
            <dt>Error</dt>
            <dd className="error" data-testid="job-details-error">
              {r.errorMessage}
            </dd>
          </>
        )}
        {reason && (
          <>
            <dt>What it means</dt>
            <dd>{reason}</dd>
          </>
        )}
        <dt>Took</dt>
        <dd>{shortDuration(jobDuration(r, props.now))}</dd>
        <dt>Size</dt>
        <dd>{bytes(r.fileSize)}</dd>
        <dt>Tries</dt>
        <dd>
          {r.attempts} of {r.maxAttempts}
        </dd>
        <dt>Queued</dt>
        <dd>{time(r.createdAt)}</dd>
        {r.startedAt !== null && (
          <>
            <dt>Started</dt>
            <dd>{time(r.startedAt)}</dd>
          </>
        )}
        {r.completedAt !== null && (
          <>
            <dt>Finished</dt>
            <dd>{time(r.completedAt)}</dd>
          </>
        )}
        {r.workerId && (
          <>
            <dt>Worker</dt>
            <dd>{r.workerId}</dd>
          </>
        )}
      </dl>
      <div className="row">
        {r.status === 'completed' && (
          <button type="button" className="small" onClick={props.onOpen}>
            Open the text
          </button>
        )}
        <button type="button" className="small" data-testid="remove-document" disabled={props.busy} title="Removes the file's document, jobs and text from Quire; the file itself is not touched, and adding it again reads it again." onClick={props.onRemove}>
          Remove from Quire
        </button>
      </div>
    </section>
  );
}
