/**
 * Add files and folders by path (or by dropping them in the desktop app), optionally watching
 * them. Each line is sent on its own, so a bad line is refused with its reason and the good lines
 * are still added (the handler refuses a whole list for one bad path).
 */
import type { DragEvent } from 'react';
import { useEffect, useState } from 'react';
import { type IngestProgress, type IngestSummary, SKIP_REASON_LABEL } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { chosenLanguages, FilesLanguages, useDefaultLanguages, useInstalledLanguages } from '../components/LanguagePicker';
import { Messages } from '../components/Messages';
import { isFullPath, num, plural } from '../format';

type Refused = { path: string; reason: string };

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const add = (a: IngestSummary, b: IngestSummary): IngestSummary => ({
  seen: a.seen + b.seen,
  enqueued: a.enqueued + b.enqueued,
  unchanged: a.unchanged + b.unchanged,
  alreadyQueued: a.alreadyQueued + b.alreadyQueued,
  requeued: a.requeued + b.requeued,
  unsupported: a.unsupported + b.unsupported,
  unreadable: a.unreadable + b.unreadable,
  unreadableFiles: a.unreadableFiles.concat(b.unreadableFiles),
  notRead: {
    total: a.notRead.total + b.notRead.total,
    byReason: [...a.notRead.byReason, ...b.notRead.byReason].reduce<IngestSummary['notRead']['byReason']>((acc, r) => {
      const hit = acc.find((x) => x.reason === r.reason);
      if (hit) hit.count += r.count;
      else acc.push({ ...r });
      return acc;
    }, []),
    files: a.notRead.files.concat(b.notRead.files),
  },
});
const EMPTY: IngestSummary = {
  seen: 0,
  enqueued: 0,
  unchanged: 0,
  alreadyQueued: 0,
  requeued: 0,
  unsupported: 0,
  unreadable: 0,
  unreadableFiles: [],
  notRead: { total: 0, byReason: [], files: [] },
};

export function Ingest() {
  const [text, setText] = useState('');
  const [watch, setWatch] = useState(false);
  const [canWatch, setCanWatch] = useState(false);
  const [progress, setProgress] = useState<IngestProgress | null>(null);
  const [result, setResult] = useState<IngestSummary | null>(null);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [over, setOver] = useState(false);
  const [langs, setLangs] = useState<string | null>(null);
  const installed = useInstalledLanguages();
  const defaults = useDefaultLanguages();
  const canDrop = !!api.pathForFile;
  const action = useAction();
  useEffect(() => {
    void api.watchedFolders().then((r) => r.ok && setCanWatch(r.value.available));
  }, []);
  useEvent('ingestProgress', setProgress);
  const paths = text.split('\n').map((s) => s.trim()).filter(Boolean);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    // Only the desktop app can turn a dropped file into a path (webUtils.getPathForFile).
    if (!api.pathForFile) return action.setError('A browser does not tell Quire where a dropped file is on disk; type or paste its full path instead (or use the desktop app).');
    const dropped = [...e.dataTransfer.files].map((f) => api.pathForFile!(f)).filter(Boolean);
    setText((old) => [old.trim(), ...dropped].filter(Boolean).join('\n'));
  };

  return (
    <section aria-labelledby="ingest-title" onDragOver={(e) => (e.preventDefault(), setOver(true))} onDragLeave={() => setOver(false)} onDrop={onDrop}>
      <h1 id="ingest-title">Add files</h1>
      <p className={over ? 'dropzone over' : 'dropzone'} data-testid="dropzone">
        {canDrop
          ? 'Drop files or folders anywhere on this screen to add their paths below.'
          : 'In a browser, type or paste full paths below: a browser does not tell Quire where a dropped file is on disk (the desktop app does).'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setResult(null);
          setRefused([]);
          if (langs === '') return action.setError('Choose at least one language for these files.');
          const languages = chosenLanguages(langs, defaults);
          void action.run(
            'Adding files',
            async () => {
              let sum = EMPTY;
              const bad: Refused[] = [];
              for (const path of paths) {
                if (!isFullPath(path)) {
                  bad.push({ path, reason: 'Give the full path (from / on Linux and macOS, from a drive letter on Windows).' });
                  continue;
                }
                const r = await api.addPaths({ paths: [path], watch, ...(languages ? { languages } : {}) });
                if (r.ok) sum = add(sum, r.value);
                else bad.push({ path, reason: r.error.message });
              }
              return { ok: true as const, value: { sum, bad } };
            },
            ({ sum, bad }) => {
              setResult(sum);
              setRefused(bad);
              // The refused lines stay in the box to be fixed; the added ones leave it.
              setText(bad.map((b) => b.path).join('\n'));
              const added = `Added ${num(sum.enqueued)} new file${sum.enqueued === 1 ? '' : 's'} to the queue.`;
              return bad.length ? `${added} ${bad.length} line${bad.length === 1 ? ' was' : 's were'} refused (below).` : added;
            },
          );
        }}
      >
        <label htmlFor="paths">Files or folders on the computer running Quire, one full path per line (folders are read with all their subfolders)</label>
        <textarea id="paths" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder="/home/me/Scans" data-testid="ingest-paths" />
        <label className="check">
          <input type="checkbox" checked={watch} disabled={!canWatch} onChange={(e) => setWatch(e.target.checked)} />
          Watch these folders and add new files automatically
          {!canWatch && <small> (folder watching is not running in this host)</small>}
        </label>
        {installed.length > 1 && <FilesLanguages id="ingest-languages" installed={installed} defaults={defaults} value={langs} onChange={setLangs} />}
        <button type="submit" disabled={paths.length === 0 || !!action.busy} data-testid="ingest-submit">
          Add to queue
        </button>
      </form>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      {action.busy && progress && !progress.done && (
        <p role="status">
          Seen {num(progress.seen)} files, {num(progress.enqueued)} added so far…
        </p>
      )}
      {result && (
        <dl className="summary" data-testid="ingest-result">
          <dt>Seen</dt>
          <dd>{num(result.seen)}</dd>
          <dt>Added</dt>
          <dd>{num(result.enqueued)}</dd>
          <dt>Unchanged</dt>
          <dd>{num(result.unchanged)}</dd>
          {result.requeued > 0 && (
            <>
              <dt>Cancelled before, queued again</dt>
              <dd data-testid="ingest-requeued">{num(result.requeued)}</dd>
            </>
          )}
          <dt>Not a supported format</dt>
          <dd>{num(result.unsupported)}</dd>
          <dt>Unreadable</dt>
          <dd>{num(result.unreadable)}</dd>
        </dl>
      )}
      {result && result.notRead.total > 0 && (
        <p data-testid="ingest-not-read">
          {plural(result.notRead.total, 'file')} found that Quire does not read ({result.notRead.byReason.map((r) => `${num(r.count)} ${lowerFirst(SKIP_REASON_LABEL[r.reason])}`).join(', ')}):{' '}
          <a href="#/failures">see them under Failures</a>.
        </p>
      )}
      {refused.length > 0 && (
        <ul className="refused" data-testid="ingest-refused">
          {refused.map((b) => (
            <li key={b.path} className="error">
              <span className="path">{b.path}</span>: {b.reason}
            </li>
          ))}
        </ul>
      )}
      {result?.unreadableFiles.map((u) => (
        <p key={u.path} className="error">
          Could not read {u.path}: {u.reason}
        </p>
      ))}
    </section>
  );
}
