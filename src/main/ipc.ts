/**
 * The contract over IPC. One `ipcMain.handle` per handler name (no generic passthrough); every
 * call is refused unless it comes from our window's top frame showing our own page. Arguments
 * are validated by the handlers themselves (src/core/api/validate.ts), as over HTTP.
 */
import { type IpcMainInvokeEvent, ipcMain, shell, type WebContents } from 'electron';
import { dispatch } from '../core/api/dispatch';
import { HANDLER_NAMES } from '../ipc/contract';
import type { ApiSurface } from '../core/host';
import type { Logger } from '../core/logger';
import { DESKTOP_CHANNELS, IPC_EVENT_CHANNEL, IPC_PREFIX, type Result } from '../ipc/contract';

export interface IpcOptions {
  host: ApiSurface;
  logger: Logger;
  /** The one WebContents allowed to call (our main window). */
  trusted: () => WebContents | null;
  /** Is this URL our renderer (file:// of out/renderer, or the dev server)? */
  isOurUrl: (url: string) => boolean;
}

export function registerIpc(opts: IpcOptions): () => void {
  const log = opts.logger.scope('ipc');
  const trustedSender = (e: IpcMainInvokeEvent): boolean => {
    const wc = opts.trusted();
    const frame = e.senderFrame;
    return !!wc && e.sender === wc && !!frame && frame === wc.mainFrame && opts.isOurUrl(frame.url);
  };
  for (const name of HANDLER_NAMES) {
    ipcMain.handle(IPC_PREFIX + name, async (e, arg: unknown) => {
      if (!trustedSender(e)) {
        log.warn('refused IPC call from an untrusted sender', { name, url: e.senderFrame?.url });
        return { ok: false, error: { name: 'QuireError', message: 'This page is not allowed to use Quire.', kind: 'forbidden' } };
      }
      return dispatch(opts.host.handlers, name, arg, log);
    });
  }
  // Reveal or open a document's source file. Only files in the queue (files the user added): the
  // renderer names a document id, never a path, and main looks the path up itself.
  const desktop: Record<keyof typeof DESKTOP_CHANNELS, (path: string) => Promise<string>> = {
    showInFolder: async (path) => (shell.showItemInFolder(path), ''),
    openFile: (path) => shell.openPath(path),
  };
  for (const [name, act] of Object.entries(desktop)) {
    ipcMain.handle(DESKTOP_CHANNELS[name as keyof typeof DESKTOP_CHANNELS], async (e, documentId: unknown): Promise<Result<null>> => {
      if (!trustedSender(e)) {
        log.warn('refused IPC call from an untrusted sender', { name, url: e.senderFrame?.url });
        return { ok: false, error: { name: 'QuireError', message: 'This page is not allowed to use Quire.', kind: 'forbidden' } };
      }
      const doc = (await dispatch(opts.host.handlers, 'document', { id: documentId }, log)) as Result<{ path: string }>;
      if (!doc.ok) return doc;
      const failure = await act(doc.value.path);
      return failure
        ? { ok: false, error: { name: 'QuireError', message: `Could not open ${doc.value.path}: ${failure}.`, kind: 'open_failed' } }
        : { ok: true, value: null };
    });
  }
  const unsubscribe = opts.host.subscribe((m) => {
    const wc = opts.trusted();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, m);
  });
  return () => {
    unsubscribe();
    for (const name of HANDLER_NAMES) ipcMain.removeHandler(IPC_PREFIX + name);
    for (const channel of Object.values(DESKTOP_CHANNELS)) ipcMain.removeHandler(channel);
  };
}
