/**
 * The object the preload exposes as `window.quire`: one named method per handler, each a fixed
 * IPC channel, never ipcRenderer itself (STYLE rule 6). Built from injected functions so tests
 * can check it without Electron.
 */
import type { Api, Arg, EventMessage, HandlerName, Result, Value } from '../ipc/contract';
import { IPC_PREFIX } from '../ipc/contract';

export type IpcInvoke = (channel: string, arg: unknown) => Promise<unknown>;
export type IpcListen = (listener: (m: EventMessage) => void) => () => void;

export function createPreloadApi(invoke: IpcInvoke, listen: IpcListen) {
  const method =
    <K extends HandlerName>(name: K) =>
    (...args: Arg<K>) =>
      invoke(IPC_PREFIX + name, args[0]) as Promise<Result<Value<K>>>;
  return {
    stats: method('stats'),
    throughput: method('throughput'),
    workers: method('workers'),
    listJobs: method('listJobs'),
    failureGroups: method('failureGroups'),
    document: method('document'),
    pageImage: method('pageImage'),
    search: method('search'),
    watchedFolders: method('watchedFolders'),
    settings: method('settings'),
    languages: method('languages'),
    exportFailuresCsv: method('exportFailuresCsv'),
    addPaths: method('addPaths'),
    requeueFailed: method('requeueFailed'),
    cancel: method('cancel'),
    pause: method('pause'),
    resume: method('resume'),
    setConcurrency: method('setConcurrency'),
    addWatchedFolder: method('addWatchedFolder'),
    removeWatchedFolder: method('removeWatchedFolder'),
    updateSettings: method('updateSettings'),
    subscribe: (listener: (m: EventMessage) => void) => listen(listener),
  } satisfies Api;
}

/** Methods beyond the contract that only the desktop app has. */
export const DESKTOP_EXTRAS = ['pathForFile', 'showInFolder', 'openFile'] as const;
