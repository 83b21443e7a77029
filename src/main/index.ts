/**
 * Electron main process. Thin: hosts the core through createQuire + createApiHost (the same as
 * `quire serve`), serves the contract over IPC, and adds the desktop conventions. Type-checked
 * only on machines without an Electron binary.
 * SEAM(pool) / SEAM(watcher): start the pool (utilityProcess spawner) and watcher here and pass
 * them to createApiHost.
 */
import { join } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createQuire, type Quire } from '../core/app';
import { createApiHost } from '../core/api/host';
import { createLogger } from '../core/logger';
import { startDesktop } from './desktop';
import { registerIpc } from './ipc';
import { createMainWindow, lockDownSession } from './window';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Quire is running: it gets focus (second-instance below); this one leaves.
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let quire: Quire | null = null;
  const cleanups: (() => void)[] = [];

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app
    .whenReady()
    .then(async () => {
      const logger = createLogger({ level: 'info' }).scope('main');
      const dataDir = app.getPath('userData');
      quire = createQuire({ dataDir, logger });
      await quire.startMaintenance();
      const host = createApiHost({ quire, logger });
      lockDownSession();
      const created = createMainWindow(dataDir);
      win = created.win;
      win.on('closed', () => (win = null));
      cleanups.push(registerIpc({ host, logger, trusted: () => win?.webContents ?? null, isOurUrl: created.isOurUrl }));
      cleanups.push(startDesktop(host, () => win, join(__dirname, '../../resources/tray.png')));
      cleanups.push(() => host.close());
    })
    .catch((err: unknown) => {
      process.stderr.write(`Quire could not start: ${String(err)}\n`);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    for (const c of cleanups.reverse()) c();
    void quire?.close();
  });
}
