/** Add files and folders by path (or by dropping them in the desktop app), optionally watching them. */
import type { DragEvent } from 'react';
import { useEffect, useState } from 'react';
import type { IngestProgress, IngestSummary } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { Messages } from '../components/Messages';
import { num } from '../format';

export function Ingest() {
  const [text, setText] = useState('');
  const [watch, setWatch] = useState(false);
  const [canWatch, setCanWatch] = useState(false);
  const [progress, setProgress] = useState<IngestProgress | null>(null);
  const [result, setResult] = useState<IngestSummary | null>(null);
  const [over, setOver] = useState(false);
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
          void action.run('Adding files', () => api.addPaths({ paths, watch }), (r) => {
            setResult(r);
            return `Added ${num(r.enqueued)} new file${r.enqueued === 1 ? '' : 's'} to the queue.`;
          });
        }}
      >
        <label htmlFor="paths">Files or folders on the computer running Quire, one full path per line (folders are read with all their subfolders)</label>
        <textarea id="paths" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder="/home/me/Scans" data-testid="ingest-paths" />
        <label className="check">
          <input type="checkbox" checked={watch} disabled={!canWatch} onChange={(e) => setWatch(e.target.checked)} />
          Watch these folders and add new files automatically
          {!canWatch && <small> (folder watching is not running in this host)</small>}
        </label>
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
          <dt>Not a supported format</dt>
          <dd>{num(result.unsupported)}</dd>
          <dt>Unreadable</dt>
          <dd>{num(result.unreadable)}</dd>
        </dl>
      )}
      {result?.unreadableFiles.map((u) => (
        <p key={u.path} className="error">
          Could not read {u.path}: {u.reason}
        </p>
      ))}
    </section>
  );
}
