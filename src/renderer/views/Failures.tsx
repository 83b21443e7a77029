/**
 * Failed jobs grouped by error kind with the human reason; CSV export. What a group offers
 * depends on its kind (failureRemedy): "retry may help" groups are requeued; "fix the file" groups
 * are requeued only where the file changed, or anyway on an explicit "Requeue anyway". Failures
 * can be dismissed (a group, one, or all). Every answer says what was done and what was left.
 */
import { useCallback, useEffect, useState } from 'react';
import { failureRemedy, type FailureGroupView, type JobListRow } from '../../ipc/contract';
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
  const fixFile = failureRemedy(g.kind) === 'fix_file';
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
        {fixFile ? (
          <>
            <button type="button" className="small" data-testid="requeue-changed" disabled={!!action.busy} title="Requeues only the files that changed since they failed" onClick={() => void action.run(`Requeuing changed ${name} files`, () => api.requeueFailed(g.kind ? { kind: g.kind } : {}), (s) => (props.onChanged(), s.message))}>
              Requeue changed files
              <span className="sr-only"> ({words})</span>
            </button>
            <button type="button" className="small" data-testid="requeue-anyway" disabled={!!action.busy} title="Runs these files again as they are, although they have not changed: they will most likely fail the same way" onClick={() => void action.run(`Requeuing ${name} anyway`, () => api.requeueFailed(g.kind ? { kind: g.kind, force: true } : { force: true }), (s) => (props.onChanged(), s.message))}>
              Requeue anyway
              <span className="sr-only"> ({words})</span>
            </button>
          </>
        ) : (
          g.kind && (
            <button type="button" className="small" data-testid="requeue-group" disabled={!!action.busy} onClick={() => void action.run(`Requeuing ${name}`, () => api.requeueFailed({ kind: g.kind! }), (s) => (props.onChanged(), s.message))}>
              Requeue these {num(g.count)}
              <span className="sr-only"> ({words})</span>
            </button>
          )
        )}
        {g.kind && (
          <button type="button" className="small" data-testid="dismiss-group" disabled={!!action.busy} title="Removes these failures from the list; the files and their documents stay, and a file that changes is read again" onClick={() => void action.run(`Dismissing ${name}`, () => api.dismissFailures({ kind: g.kind! }), (n) => (props.onChanged(), `Dismissed ${plural(n, 'failure')}.`))}>
            Dismiss these {num(g.count)}
            <span className="sr-only"> ({words})</span>
          </button>
        )}
        {fixFile && <p className="muted">Fix or replace these files first: requeueing them as they are fails the same way.</p>}
      </div>
      {open && rows && (
        <ul className="failed-files">
          {rows.map((r) => (
            <li key={r.id}>
              <span className="path">{r.path}</span>
              <span className="muted"> — {r.errorMessage ?? g.message} (tries: {r.attempts})</span>{' '}
              <button type="button" className="small" disabled={!!action.busy} onClick={() => void action.run('Requeuing', () => api.requeueFailed({ jobId: r.id }), (s) => (props.onChanged(), s.requeued ? `Requeued ${r.path}.` : `${r.path}: ${s.message}`))}>
                {fixFile ? 'Requeue if changed' : 'Requeue'}
                <span className="sr-only"> {baseName(r.path)}</span>
              </button>
              <button type="button" className="small" disabled={!!action.busy} onClick={() => void action.run('Dismissing', () => api.dismissFailures({ jobId: r.id }), () => (props.onChanged(), `Dismissed the failure of ${r.path}.`))}>
                Dismiss<span className="sr-only"> {baseName(r.path)}</span>
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
        <button type="button" data-testid="requeue-all" disabled={!!action.busy || total === 0} title="Requeues the failures a retry may help, and the files that changed since they failed" onClick={() => void action.run('Requeuing failed jobs', () => api.requeueFailed(), (s) => (load(), s.message))}>
          Requeue all
        </button>
        <button type="button" data-testid="dismiss-all" disabled={!!action.busy || total === 0} onClick={() => void action.run('Dismissing all failures', () => api.dismissFailures({ all: true }), (n) => (load(), `Dismissed ${plural(n, 'failure')}.`))}>
          Dismiss all
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
