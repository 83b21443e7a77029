/**
 * One job as table cells. The same cells are laid out as a card on a narrow window (CSS), so the
 * table keeps its semantics at every width. Every button's name says which file it acts on
 * (aria-label, not a hidden span: a row is rebuilt on every frame of a fast scroll, and fewer
 * elements per row is what keeps that under a frame).
 */
import type { JobListRow } from '../../../ipc/contract';
import { baseName, bytes, dirName, time } from '../../format';
import { jobDuration, kindNote, shortDuration, STATUS_LABELS } from './labels';

export interface RowActions {
  open(row: JobListRow): void;
  details(row: JobListRow): void;
  requeue(row: JobListRow): void;
  cancel(row: JobListRow): void;
  selected: string | null;
  busy: boolean;
}

export function JobCells(props: { r: JobListRow; a: RowActions; now: number }) {
  const { r, a } = props;
  const name = baseName(r.path);
  return (
    <>
      <span role="cell" className="c-path">
        <span className="line1">
          {r.status === 'completed' ? (
            <button type="button" className="link" onClick={() => a.open(r)} title={r.path}>
              {name}
            </button>
          ) : (
            <span title={r.path}>{name}</span>
          )}
        </span>
        {r.errorMessage && r.status !== 'completed' ? (
          <span className="line2 error" data-testid="job-error">
            {r.errorMessage}
          </span>
        ) : (
          // The end of a long folder path says most: cut it at the start (an rtl box; the marks keep
          // the path's own order).
          <span className="line2 muted cut-start">{`\u200e${dirName(r.path)}\u200e`}</span>
        )}
      </span>
      <span role="cell" className={`c-status st-${r.status}`} data-testid="job-status">
        <span className="line1">{STATUS_LABELS[r.status]}</span>
        <span className="line2" data-testid="job-kind">
          {r.status === 'processing' && r.progressPage ? `page ${r.progressPage} of ${r.progressPages ?? '?'}` : kindNote(r.status, r.errorKind)}
        </span>
      </span>
      <span role="cell" className="c-dur" data-testid="job-duration">
        {shortDuration(jobDuration(r, props.now))}
      </span>
      <span role="cell" className="c-num">{bytes(r.fileSize)}</span>
      <span role="cell" className="c-tries">
        {r.attempts}/{r.maxAttempts}
      </span>
      <span role="cell" className="c-time">{time(r.createdAt)}</span>
      <span role="cell" className="c-act">
        <button type="button" className="small" aria-label={`Details ${name}`} aria-expanded={a.selected === r.id} aria-controls="job-details" onClick={() => a.details(r)}>
          Details
        </button>
        {(r.status === 'failed' || r.status === 'cancelled') && (
          <button type="button" className="small" aria-label={`Requeue ${name}`} disabled={a.busy} onClick={() => a.requeue(r)}>
            Requeue
          </button>
        )}
        {(r.status === 'pending' || r.status === 'processing') && (
          <button type="button" className="small" aria-label={`Cancel ${name}`} disabled={a.busy} onClick={() => a.cancel(r)}>
            Cancel
          </button>
        )}
      </span>
    </>
  );
}

export function JobHeader() {
  return (
    <div className="vrow vhead" role="row" aria-rowindex={1}>
      <span role="columnheader" className="c-path">File</span>
      <span role="columnheader" className="c-status">Status</span>
      <span role="columnheader" className="c-dur">Took</span>
      <span role="columnheader" className="c-num">Size</span>
      <span role="columnheader" className="c-tries">Tries</span>
      <span role="columnheader" className="c-time">Queued</span>
      <span role="columnheader" className="c-act">Actions</span>
    </div>
  );
}

/** What a row shows while the list flies past: its name, nothing else to lay out. */
export function JobCellsLight(props: { r: JobListRow }) {
  return (
    <span role="cell" className="c-path">
      {baseName(props.r.path)}
    </span>
  );
}
