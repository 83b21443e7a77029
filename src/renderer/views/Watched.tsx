/** Watched folders: list with state and outputs, add (with polling and output choices), remove. */
import { useEffect, useState } from 'react';
import type { WatchedFolder } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { Messages } from '../components/Messages';

function outputsText(f: WatchedFolder): string {
  const o = f.outputs;
  if (!o || (!o.txt && !o.pdf)) return '—';
  const kinds = [o.txt && '.txt', o.pdf && '.pdf'].filter(Boolean).join(' + ');
  return o.dir ? `${kinds} into ${o.dir}` : `${kinds} next to each file`;
}

export function Watched() {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [folders, setFolders] = useState<WatchedFolder[]>([]);
  const [path, setPath] = useState('');
  const [txt, setTxt] = useState(false);
  const [pdf, setPdf] = useState(false);
  const [poll, setPoll] = useState(false);
  const [outputDir, setOutputDir] = useState('');
  const action = useAction();
  const load = () =>
    void api.watchedFolders().then((r) => {
      if (!r.ok) return action.setError(r.error.message);
      setAvailable(r.value.available);
      setFolders(r.value.folders);
    });
  useEffect(load, []);
  useEvent('watcherStatus', (s) => {
    setAvailable(s.available);
    setFolders(s.folders);
  });
  return (
    <section aria-labelledby="watch-title">
      <h1 id="watch-title">Watched folders</h1>
      {available === false && (
        <p data-testid="watcher-unavailable">Folder watching is not running in this Quire host (no watcher running). Files can still be added once from Add files.</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const options = { path, txt, pdf, poll, ...(outputDir.trim() ? { outputDir: outputDir.trim() } : {}) };
          void action.run('Adding folder', () => api.addWatchedFolder(options), (f) => (setPath(''), load(), `Watching ${f.path}.`));
        }}
      >
        <div className="row">
          <label htmlFor="watch-path">Folder</label>
          <input id="watch-path" value={path} onChange={(e) => setPath(e.target.value)} disabled={!available} />
          <button type="submit" disabled={!available || !path.trim() || !!action.busy}>
            Watch
          </button>
        </div>
        <fieldset className="row" disabled={!available}>
          <legend>When a file is done</legend>
          <label>
            <input type="checkbox" data-testid="watch-txt" checked={txt} onChange={(e) => setTxt(e.target.checked)} /> write its text (.ocr.txt)
          </label>
          <label>
            <input type="checkbox" data-testid="watch-pdf" checked={pdf} onChange={(e) => setPdf(e.target.checked)} /> write a searchable PDF (.ocr.pdf)
          </label>
          <label htmlFor="watch-outdir">into</label>
          <input id="watch-outdir" placeholder="next to each file" value={outputDir} onChange={(e) => setOutputDir(e.target.value)} />
          <label>
            <input type="checkbox" data-testid="watch-poll" checked={poll} onChange={(e) => setPoll(e.target.checked)} /> poll (network shares)
          </label>
        </fieldset>
      </form>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      {available && folders.length === 0 && <p>No folders are watched.</p>}
      {folders.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Folder</th>
              <th>State</th>
              <th>Files</th>
              <th>Outputs</th>
              <th>Action</th>
            </tr>
          </thead>
          <tbody>
            {folders.map((f) => (
              <tr key={f.path}>
                <td className="path">{f.path}</td>
                <td data-testid="folder-state">
                  {f.state === 'error' ? `Error: ${f.error ?? 'unknown'}` : f.state}
                  {f.state !== 'error' && f.error && <span className="muted"> — {f.error}</span>}
                </td>
                <td>{f.files ?? '—'}</td>
                <td>
                  {outputsText(f)}
                  <Skipped list={f.skippedOutputs} what="output" verb="not written" testId="skipped-outputs" />
                  <Skipped list={f.skippedFiles} what="file" verb="not queued" testId="skipped-files" />
                </td>
                <td>
                  <button type="button" className="small" onClick={() => void action.run('Removing', () => api.removeWatchedFolder({ path: f.path }), () => (load(), `Stopped watching ${f.path}.`))}>
                    Stop watching
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What the host could not do for a folder: how many, and the latest with why. */
function Skipped({ list, what, verb, testId }: { list?: { count: number; recent: { path: string; reason: string }[] }; what: string; verb: string; testId: string }) {
  if (!list) return null;
  return (
    <details data-testid={testId}>
      <summary>
        {list.count} {what}
        {list.count === 1 ? '' : 's'} {verb}
      </summary>
      <ul>
        {list.recent.map((s) => (
          <li key={s.path}>
            <span className="path">{s.path}</span>: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
