/** Watched folders: each folder's state and outputs, add one (its options first, then Watch), stop watching one. */
import { useEffect, useState } from 'react';
import type { WatchedFolder } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { chosenLanguages, FilesLanguages, languagesInWords, useDefaultLanguages, useInstalledLanguages } from '../components/LanguagePicker';
import type { InstalledLanguage } from '../../ipc/contract';
import { Messages } from '../components/Messages';
import { num } from '../format';

function outputsText(f: WatchedFolder): string {
  const o = f.outputs;
  if (!o || (!o.txt && !o.pdf)) return 'none (text kept in Quire)';
  const kinds = [o.txt && '.ocr.txt', o.pdf && '.ocr.pdf'].filter(Boolean).join(' + ');
  return o.dir ? `${kinds} into ${o.dir}` : `${kinds} next to each file`;
}

const STATE_WORDS: Record<WatchedFolder['state'], string> = {
  starting: 'Starting (scanning the folder)',
  watching: 'Watching',
  polling: 'Polling',
  unavailable: 'Unavailable',
  error: 'Error',
  stopped: 'Stopped',
};

function AddFolder(props: { available: boolean; installed: InstalledLanguage[]; onAdded: () => void }) {
  const [path, setPath] = useState('');
  const [txt, setTxt] = useState(false);
  const [pdf, setPdf] = useState(false);
  const [poll, setPoll] = useState(false);
  const [outputDir, setOutputDir] = useState('');
  const [langs, setLangs] = useState<string | null>(null);
  const defaults = useDefaultLanguages();
  const action = useAction();
  const off = !props.available;
  return (
    <form
      className="panel"
      aria-labelledby="watch-add-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (langs === '') return action.setError('Choose at least one language for this folder’s files.');
        const languages = chosenLanguages(langs, defaults);
        const options = { path: path.trim(), txt, pdf, poll, ...(outputDir.trim() ? { outputDir: outputDir.trim() } : {}), ...(languages ? { languages } : {}) };
        void action.run('Adding folder', () => api.addWatchedFolder(options), (f) => (setPath(''), props.onAdded(), `Watching ${f.path}.`));
      }}
    >
      <h2 id="watch-add-title">Watch a folder</h2>
      <div className="field">
        <label htmlFor="watch-path">Folder on the computer running Quire (its full path)</label>
        <input id="watch-path" value={path} onChange={(e) => setPath(e.target.value)} disabled={off} placeholder="/home/me/Scans" />
      </div>
      <fieldset disabled={off}>
        <legend>When a file in it has been read</legend>
        <label className="check">
          <input type="checkbox" data-testid="watch-txt" checked={txt} onChange={(e) => setTxt(e.target.checked)} /> write its text beside it (.ocr.txt)
        </label>
        <label className="check">
          <input type="checkbox" data-testid="watch-pdf" checked={pdf} onChange={(e) => setPdf(e.target.checked)} /> write a searchable PDF beside it (.ocr.pdf)
        </label>
        <div className="field">
          <label htmlFor="watch-outdir">Write those into another folder instead (optional)</label>
          <input id="watch-outdir" placeholder="next to each file" value={outputDir} onChange={(e) => setOutputDir(e.target.value)} disabled={!txt && !pdf} />
        </div>
      </fieldset>
      <fieldset disabled={off}>
        <legend>How to notice new files</legend>
        <label className="check">
          <input type="checkbox" data-testid="watch-poll" checked={poll} onChange={(e) => setPoll(e.target.checked)} /> look every few seconds (for network shares, where change notices do not arrive)
        </label>
      </fieldset>
      {props.installed.length > 1 && <FilesLanguages id="watch-languages" installed={props.installed} defaults={defaults} value={langs} onChange={setLangs} disabled={off} />}
      <button type="submit" className="primary" disabled={off || !path.trim() || !!action.busy}>
        Watch this folder
      </button>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
    </form>
  );
}

export function Watched() {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [folders, setFolders] = useState<WatchedFolder[]>([]);
  const installed = useInstalledLanguages();
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
      <p className="muted">Quire reads every file already in a watched folder, then each new or changed file as it lands, while Quire runs.</p>
      {available === false && (
        <p className="alert warn" data-testid="watcher-unavailable">
          Folder watching is not running in this Quire host (no watcher running). Files can still be added once from Add files.
        </p>
      )}
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      {available && folders.length === 0 && <p>No folders are watched.</p>}
      {folders.length > 0 && (
        <table className="grid stack">
          <thead>
            <tr>
              <th scope="col">Folder</th>
              <th scope="col">State</th>
              <th scope="col">Files found at last scan</th>
              <th scope="col">Languages</th>
              <th scope="col">Outputs</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {folders.map((f) => (
              <tr key={f.path}>
                <td data-label="Folder" className="path">
                  {f.path}
                </td>
                <td data-label="State" data-testid="folder-state">
                  {STATE_WORDS[f.state]}
                  {f.poll && f.state !== 'polling' ? ' (polling)' : ''}
                  {f.error && <span className={f.state === 'error' || f.state === 'unavailable' ? 'error' : 'muted'}> — {f.error}</span>}
                </td>
                <td data-label="Files found at last scan">{f.files === null ? 'not scanned yet' : num(f.files)}</td>
                <td data-label="Languages" data-testid="folder-languages">
                  {f.languages ? languagesInWords(f.languages, installed) : <span className="muted">as in Settings</span>}
                </td>
                <td data-label="Outputs">
                  {outputsText(f)}
                  <Skipped list={f.skippedOutputs} what="output" verb="not written" testId="skipped-outputs" />
                  <Skipped list={f.skippedFiles} what="file" verb="not queued" testId="skipped-files" />
                </td>
                <td data-label="Actions" className="actions">
                  <a className="button small" href={`#/jobs?folder=${encodeURIComponent(f.path)}`}>
                    Show its jobs<span className="sr-only"> ({f.path})</span>
                  </a>
                  <button type="button" className="small" onClick={() => void action.run('Removing', () => api.removeWatchedFolder({ path: f.path }), () => (load(), `Stopped watching ${f.path}.`))}>
                    Stop watching<span className="sr-only"> {f.path}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddFolder available={!!available} installed={installed} onAdded={load} />
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
