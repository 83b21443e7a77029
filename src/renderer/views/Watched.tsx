/** Watched folders: list with state, add, remove. */
import { useEffect, useState } from 'react';
import type { WatchedFolder } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { Messages } from '../components/Messages';

export function Watched() {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [folders, setFolders] = useState<WatchedFolder[]>([]);
  const [path, setPath] = useState('');
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
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run('Adding folder', () => api.addWatchedFolder({ path }), (f) => (setPath(''), load(), `Watching ${f.path}.`));
        }}
      >
        <label htmlFor="watch-path">Folder</label>
        <input id="watch-path" value={path} onChange={(e) => setPath(e.target.value)} disabled={!available} />
        <button type="submit" disabled={!available || !path.trim() || !!action.busy}>
          Watch
        </button>
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
              <th>Action</th>
            </tr>
          </thead>
          <tbody>
            {folders.map((f) => (
              <tr key={f.path}>
                <td className="path">{f.path}</td>
                <td>{f.state === 'error' ? `Error: ${f.error ?? 'unknown'}` : f.state}</td>
                <td>{f.files ?? '—'}</td>
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
