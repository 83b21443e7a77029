/**
 * Electron main process. Thin: opens the one host assembly (src/core/host, the same as `quire
 * serve` and `quire worker`) with utilityProcess workers running out/main/worker.js, serves the
 * contract over IPC, and adds the desktop conventions. Type-checked only on machines without an
 * Electron binary.
 */
import { join } from 'node:path';
import { app, type BrowserWindow, powerMonitor } from 'electron';
import { type Host, openHost } from '../core/host';
import { createLogger } from '../core/logger';
import { createLinuxPowerSource } from '../core/power';
import { createElectronPowerSource } from './power';
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
  let host: Host | null = null;
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
      // electron-vite builds the worker next to this file (electron.vite.config.ts).
      host = await openHost({
        dataDir,
        logger,
        spawner: createUtilitySpawner(),
        workerEntry: join(__dirname, 'worker.js'),
        workers: {},
        watch: true,
        live: true,
        // Battery, idle, lock and sleep from Electron; on Linux battery and AC from sysfs (Chromium's is a stub there).
        power: ({ sysfsRoot }) => createElectronPowerSource({ powerMonitor, linux: createLinuxPowerSource({ sysfsRoot }) }),
      });
      lockDownSession();
      const created = createMainWindow(dataDir);
      win = created.win;
      win.on('closed', () => (win = null));
      const api = host;
      cleanups.push(registerIpc({ host: api, logger, trusted: () => win?.webContents ?? null, isOurUrl: created.isOurUrl }));
      cleanups.push(startDesktop(api, () => win, join(__dirname, '../../resources/tray.png')));
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
      await host?.stop(QUIT_GRACE_MS).catch(() => {});
      await host?.close().catch(() => {});
      app.quit();
    })();
  });
}
