/**
 * Electron main process. Thin: hosts the core through createQuire + createApiHost (the same as
 * `quire serve`), serves the contract over IPC, and adds the desktop conventions. Type-checked
 * only on machines without an Electron binary.
 * The OCR worker pool (utilityProcess workers running out/main/worker.js) and the folder watcher
 * are the same host assembly as `quire serve` and `quire worker` (src/core/host.ts).
 */
import { join } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createQuire, type Quire } from '../core/app';
import { createApiHost } from '../core/api/host';
import { connectApi, createHost, type QuireHost } from '../core/host';
import { createLogger } from '../core/logger';
import { startDesktop } from './desktop';
import { registerIpc } from './ipc';
import { createUtilitySpawner } from './utility-spawner';
import { createMainWindow, lockDownSession } from './window';

/** Running jobs get this long to finish when the app quits; the rest go back to the queue. */
const QUIT_GRACE_MS = 10_000;

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Quire is running: it gets focus (second-instance below); this one leaves.
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let quire: Quire | null = null;
  let processing: QuireHost | null = null;
  let quitting = false;
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
      // electron-vite builds the worker next to this file (electron.vite.config.ts).
      processing = await createHost({ quire, spawner: createUtilitySpawner(), workerEntry: join(__dirname, 'worker.js'), logger });
      const host = createApiHost({ quire, logger, pool: processing.seams.pool, watcher: processing.seams.watcher });
      cleanups.push(connectApi(host, processing.pool, processing.watching, processing.seams.watcher));
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
  app.on('will-quit', (event) => {
    if (quitting) return;
    // Quitting waits for the pool (running jobs finish or go back to the queue) and the watcher,
    // then closes the database, then quits for real.
    event.preventDefault();
    quitting = true;
    for (const c of cleanups.reverse()) c();
    void (async () => {
      await processing?.stop(QUIT_GRACE_MS).catch(() => {});
      await quire?.close().catch(() => {});
      app.quit();
    })();
  });
}
