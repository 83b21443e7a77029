/**
 * The screens. A sidebar on a wide window, a bar across the top below 1000 px, and a Menu
 * button that opens the list below 640 px, so no screen scrolls sideways on a phone.
 */
import { useEffect, useState } from 'react';
import { num } from '../format';

export const SCREENS = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'failures', label: 'Failures' },
  { id: 'documents', label: 'Documents' },
  { id: 'ingest', label: 'Add files' },
  { id: 'watched', label: 'Watched folders' },
  { id: 'settings', label: 'Settings' },
] as const;

export function Nav(props: { screen: string; failed: number }) {
  const [open, setOpen] = useState(false);
  // Choosing a screen closes the menu on a narrow window.
  useEffect(() => setOpen(false), [props.screen]);
  const current = SCREENS.find((s) => s.id === props.screen)?.label ?? 'Document';
  return (
    <nav aria-label="Screens" className={open ? 'nav open' : 'nav'}>
      <p className="brand">Quire</p>
      <button type="button" className="menu-button" aria-expanded={open} aria-controls="screen-list" onClick={() => setOpen(!open)} data-testid="menu-button">
        <span aria-hidden="true">☰</span> Menu<span className="sr-only">, now on {current}</span>
      </button>
      <ul id="screen-list">
        {SCREENS.map((s) => (
          <li key={s.id}>
            <a href={`#/${s.id}`} aria-current={props.screen === s.id ? 'page' : undefined} data-testid={`nav-${s.id}`}>
              {s.label}
              {s.id === 'failures' && props.failed > 0 && (
                <span className="count bad" data-testid="nav-failed-count">
                  {num(props.failed)}
                  <span className="sr-only"> failed</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
