/** The shell: navigation between screens (hash routes, so a reload keeps the screen). */
import { useEffect, useState } from 'react';
import { needsAccessToken } from './api/client';
import { Dashboard } from './views/Dashboard';
import { Documents, Viewer } from './views/Documents';
import { Failures } from './views/Failures';
import { Ingest } from './views/Ingest';
import { Jobs } from './views/Jobs';
import { Settings } from './views/Settings';
import { Watched } from './views/Watched';

const SCREENS = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'failures', label: 'Failures' },
  { id: 'documents', label: 'Documents' },
  { id: 'ingest', label: 'Add files' },
  { id: 'watched', label: 'Watched folders' },
  { id: 'settings', label: 'Settings' },
] as const;

function readHash(): string {
  return location.hash.replace(/^#\/?/, '') || 'dashboard';
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
  const [route, setRoute] = useState(readHash);
  useEffect(() => {
    const on = () => setRoute(readHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const [screen, arg] = route.split('/');
  const go = (r: string) => {
    location.hash = `#/${r}`;
  };
  return (
    <div className="app">
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <nav aria-label="Screens">
        <p className="brand">Quire</p>
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <a href={`#/${s.id}`} aria-current={screen === s.id ? 'page' : undefined} data-testid={`nav-${s.id}`}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {screen === 'dashboard' && <Dashboard />}
        {screen === 'jobs' && <Jobs onOpenDocument={(id) => go(`document/${id}`)} />}
        {screen === 'failures' && <Failures />}
        {screen === 'documents' && <Documents onOpen={(id) => go(`document/${id}`)} />}
        {screen === 'document' && arg && <Viewer id={arg} onClose={() => history.back()} />}
        {screen === 'ingest' && <Ingest />}
        {screen === 'watched' && <Watched />}
        {screen === 'settings' && <Settings />}
      </main>
    </div>
  );
}
