/** Failed jobs grouped by error kind with the human reason; requeue all, a group or one; CSV export. */
import { useCallback, useEffect, useState } from 'react';
import type { FailureGroupView, JobListRow } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { Messages } from '../components/Messages';
import { baseName, num, plural } from '../format';
import { kindLabel } from './jobs/labels';
import { NotRead } from './NotRead';

function Group(props: { g: FailureGroupView; onChanged: () => void; action: ReturnType<typeof useAction> }) {
  const { g, action } = props;
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<JobListRow[] | null>(null);
  useEffect(() => {
    if (!open) return;
    void api.listJobs({ status: 'failed', kind: g.kind ?? undefined, sort: 'path_asc', limit: 200 }).then((r) => r.ok && setRows(r.value.rows));
  }, [open, g.kind, g.count]);
  const name = g.kind ?? 'unknown';
  const words = g.kind ? kindLabel(g.kind) : 'no recorded reason';
  return (
    <li className="group" data-testid={`group-${name}`}>
      <div className="row">
        <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> <strong>{words}</strong>
        </button>
        <span className="badge" data-testid="group-count">
          {num(g.count)}
        </span>
        <span className="reason">{g.message}</span>
        {g.kind && (
          <button type="button" className="small" disabled={!!action.busy} onClick={() => void action.run(`Requeuing ${name}`, () => api.requeueFailed({ kind: g.kind! }), (n) => (props.onChanged(), `Requeued ${plural(n, 'job')}.`))}>
            Requeue these {num(g.count)}
            <span className="sr-only"> ({words})</span>
          </button>
        )}
      </div>
      {open && rows && (
        <ul className="failed-files">
          {rows.map((r) => (
            <li key={r.id}>
              <span className="path">{r.path}</span>
              <span className="muted"> — {r.errorMessage ?? g.message} (tries: {r.attempts})</span>{' '}
              <button type="button" className="small" disabled={!!action.busy} onClick={() => void action.run('Requeuing', () => api.requeueFailed({ jobId: r.id }), (n) => (props.onChanged(), n ? `Requeued ${r.path}.` : 'That job was no longer failed.'))}>
                Requeue<span className="sr-only"> {baseName(r.path)}</span>
              </button>
              {api.openFile && (
                <button type="button" className="small" disabled={!!action.busy} onClick={() => void action.run('Opening', () => api.openFile!(r.documentId), () => `Opened ${r.path}.`)}>
                  Open<span className="sr-only"> {baseName(r.path)}</span>
                </button>
              )}
              {api.showInFolder && (
                <button type="button" className="small" disabled={!!action.busy} onClick={() => void action.run('Showing', () => api.showInFolder!(r.documentId), () => `Shown ${r.path} in its folder.`)}>
                  Show in folder<span className="sr-only"> ({baseName(r.path)})</span>
                </button>
              )}
            </li>
          ))}
          {g.count > rows.length && (
            <li className="muted">
              …and {num(g.count - rows.length)} more: <a href={`#/jobs?status=failed${g.kind ? `&kind=${g.kind}` : ''}`}>see them all under Jobs</a>.
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

export function Failures() {
  const [groups, setGroups] = useState<FailureGroupView[] | null>(null);
  const action = useAction();
  const load = useCallback(() => {
    void api.failureGroups().then((r) => (r.ok ? setGroups(r.value) : action.setError(r.error.message)));
  }, []);
  useEffect(load, [load]);
  useEvent('statsChanged', load);
  const total = groups?.reduce((a, g) => a + g.count, 0) ?? 0;

  const exportCsv = () =>
    action.run('Exporting', () => api.exportFailuresCsv(), (csv) => {
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'quire-failures.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return 'Saved quire-failures.csv to your downloads.';
    });

  return (
    <section aria-labelledby="fail-title">
      <h1 id="fail-title">Failures</h1>
      <div className="row">
        <span data-testid="failures-total">{plural(total, 'failed file')}</span>
        <button type="button" data-testid="requeue-all" disabled={!!action.busy || total === 0} onClick={() => void action.run('Requeuing all failed jobs', () => api.requeueFailed(), (n) => (load(), `Requeued ${plural(n, 'job')}.`))}>
          Requeue all
        </button>
        <button type="button" data-testid="export-csv" disabled={!!action.busy || total === 0} onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </div>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      {groups && groups.length === 0 && <p>No failed files.</p>}
      <ul className="groups">
        {groups?.map((g) => (
          <Group key={g.kind ?? 'unknown'} g={g} onChanged={load} action={action} />
        ))}
      </ul>
      <NotRead />
    </section>
  );
}
