/**
 * Desktop conventions: progress in the taskbar/dock, a tray menu with pause/resume (and "run at
 * full speed now" while battery, idle or schedule limit the workers), the workers' limit and its
 * reason in the tray tooltip, and a notification when a batch finishes (with how many failed).
 */
import { app, type BrowserWindow, Menu, nativeImage, Notification, Tray } from 'electron';
import type { ApiSurface } from '../core/host';
import { describeWorkers, type QueueStats } from '../shared/stats';

export function startDesktop(host: ApiSurface, win: () => BrowserWindow | null, iconPath: string): () => void {
  let tray: Tray | null = null;
  let last: QueueStats | null = null;
  let batchFailedAtStart = 0;

  const menu = (s: QueueStats | null) =>
    Menu.buildFromTemplate([
      { label: s ? `${s.pending} pending, ${s.processing} processing, ${s.failed} failed` : 'Quire', enabled: false },
      { type: 'separator' },
      s?.paused
        ? { label: 'Resume queue', click: () => void host.handlers.resume() }
        : { label: 'Pause queue', click: () => void host.handlers.pause() },
      ...(s?.throttleReason ? [{ label: 'Run at full speed now', click: () => void host.handlers.runFullSpeedNow() }] : []),
      { label: 'Show Quire', click: () => win()?.show() },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]);

  try {
    tray = new Tray(nativeImage.createFromPath(iconPath));
    tray.setToolTip('Quire');
    tray.setContextMenu(menu(null));
  } catch {
    tray = null; // some Linux desktops have no tray
  }

  const unsubscribe = host.subscribe((m) => {
    if (m.event !== 'statsChanged') return;
    const s = m.data;
    const left = s.pending + s.processing;
    const total = left + s.completed + s.failed + s.cancelled;
    const w = win();
    if (w && !w.isDestroyed()) {
      w.setProgressBar(left > 0 && total > 0 ? (total - left) / total : -1, { mode: s.paused ? 'paused' : 'normal' });
    }
    tray?.setContextMenu(menu(s));
    const workers = describeWorkers(s);
    tray?.setToolTip(workers ? `Quire: ${workers}` : 'Quire');
    const wasBusy = last ? last.pending + last.processing > 0 : false;
    if (!wasBusy && left > 0) batchFailedAtStart = s.failed;
    if (wasBusy && left === 0 && Notification.isSupported()) {
      const failed = s.failed - batchFailedAtStart;
      new Notification({
        title: failed > 0 ? 'Quire finished, with failures' : 'Quire finished',
        body: failed > 0 ? `${failed} file${failed === 1 ? '' : 's'} could not be read; see Failures.` : 'Every queued file has been read.',
      }).show();
    }
    last = s;
  });

  return () => {
    unsubscribe();
    tray?.destroy();
  };
}
