/**
 * The contract over IPC. One `ipcMain.handle` per handler name (no generic passthrough); every
 * call is refused unless it comes from our window's top frame showing our own page. Arguments
 * are validated by the handlers themselves (src/core/api/validate.ts), as over HTTP.
 */
import { type IpcMainInvokeEvent, ipcMain, type WebContents } from 'electron';
import { dispatch } from '../core/api/dispatch';
import { HANDLER_NAMES } from '../core/api/handlers';
import type { ApiHost } from '../core/api/host';
import type { Logger } from '../core/logger';
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../ipc/contract';

export interface IpcOptions {
  host: ApiHost;
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
  const unsubscribe = opts.host.subscribe((m) => {
    const wc = opts.trusted();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, m);
  });
  return () => {
    unsubscribe();
    for (const name of HANDLER_NAMES) ipcMain.removeHandler(IPC_PREFIX + name);
  };
}
