/**
 * Electron main process. Thin: it will host the core (queue, pool, watcher) and serve the
 * contract over IPC. For now it opens the window on the placeholder renderer.
 */
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
}

app.whenReady().then(createWindow, (err: unknown) => {
  process.stderr.write(`Quire could not start: ${String(err)}\n`);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
