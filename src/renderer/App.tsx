/** The shell: navigation between screens (hash routes, so a reload and Back keep the screen and its query). */
import { useEffect, useState } from 'react';
import { needsAccessToken } from './api/client';
import { useConnection } from './api/connection';
import { Nav, SCREENS } from './shell/Nav';
import { StatusStrip } from './shell/StatusStrip';
import { titleText, useTitle } from './shell/title';
import { useQueue } from './state/queue';
import { Dashboard } from './views/Dashboard';
import { Documents } from './views/documents/Documents';
import { Viewer } from './views/Viewer';
import { Failures } from './views/Failures';
import { Ingest } from './views/Ingest';
import { Jobs } from './views/jobs/Jobs';
import { Settings } from './views/settings/Settings';
import { Watched } from './views/Watched';

export interface Route {
  screen: string;
  arg: string | undefined;
  params: URLSearchParams;
}

export function readRoute(hash = location.hash): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [screen, arg] = (path || 'dashboard').split('/');
  return { screen: screen!, arg: arg ? decodeURIComponent(arg) : undefined, params: new URLSearchParams(query) };
}

export function go(path: string): void {
  location.hash = `#/${path}`;
}

/** Back to where the person came from; to Documents when the page was opened from a link. */
function back(): void {
  if (history.length > 1) history.back();
  else go('documents');
}

export function App() {
  if (needsAccessToken) return <NoToken />;
  return <Screens />;
}

/** Opened without the token (a plain address, another tab): say where the right address is. */
function NoToken() {
  return (
    <main className="no-token" data-testid="no-token">
      <h1>Quire needs its access token</h1>
      <p>
        Open the address <code>quire serve</code> printed in its terminal: it ends with <code>#token=</code> and a long code. The token stays the same for this
        data folder, so a bookmark of that address keeps working.
      </p>
      <p>
        Lost it? Run <code>quire serve</code> again to see it, or <code>quire serve --new-token</code> to replace it.
      </p>
    </main>
  );
}

function Screens() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const route = readRoute(hash);
  const { screen, arg } = route;
  const queue = useQueue();
  const conn = useConnection();
  const label = SCREENS.find((s) => s.id === screen)?.label ?? 'Document';
  useTitle(titleText(label, queue, conn));
  return (
    <div className="app">
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <Nav screen={screen} failed={queue.stats?.failed ?? 0} />
      <main id="main" tabIndex={-1}>
        <StatusStrip />
        {screen === 'dashboard' && <Dashboard />}
        {screen === 'jobs' && <Jobs key={route.params.toString()} initial={route.params} onOpenDocument={(id) => go(`document/${encodeURIComponent(id)}`)} />}
        {screen === 'failures' && <Failures />}
        {screen === 'documents' && (
          <Documents
            query={route.params.get('q') ?? ''}
            onSearch={(q) => go(q ? `documents?q=${encodeURIComponent(q)}` : 'documents')}
            onOpen={(id, q) => go(`document/${encodeURIComponent(id)}?q=${encodeURIComponent(q)}`)}
          />
        )}
        {screen === 'document' && arg && <Viewer key={arg} id={arg} query={route.params.get('q') ?? ''} onClose={back} />}
        {screen === 'ingest' && <Ingest />}
        {screen === 'watched' && <Watched />}
        {screen === 'settings' && <Settings />}
      </main>
    </div>
  );
}
