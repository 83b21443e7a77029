/**
 * The object the preload exposes as `window.quire`: one named method per handler, each a fixed
 * IPC channel, never ipcRenderer itself (STYLE rule 6). Built from injected functions so tests
 * can check it without Electron.
 */
import type { Api, EventMessage, Result } from '../ipc/contract';
import { buildApi, IPC_PREFIX } from '../ipc/contract';

export type IpcInvoke = (channel: string, arg: unknown) => Promise<unknown>;
export type IpcListen = (listener: (m: EventMessage) => void) => () => void;

export function createPreloadApi(invoke: IpcInvoke, listen: IpcListen): Api {
  return buildApi((name, arg) => invoke(IPC_PREFIX + name, arg) as Promise<Result<unknown>>, listen);
}

/** Methods beyond the contract that only the desktop app has. */
export const DESKTOP_EXTRAS = ['pathForFile', 'showInFolder', 'openFile'] as const;
