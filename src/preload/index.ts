/**
 * Preload (sandboxed, CommonJS): exposes the contract's named methods through contextBridge,
 * plus pathForFile for drag-and-drop. Never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent, webUtils } from 'electron';
import type { EventMessage } from '../ipc/contract';
import { DESKTOP_CHANNELS, IPC_EVENT_CHANNEL } from '../ipc/contract';
import { createPreloadApi } from './api';

const api = createPreloadApi(
  (channel, arg) => ipcRenderer.invoke(channel, arg),
  (listener) => {
    const h = (_e: IpcRendererEvent, m: EventMessage) => listener(m);
    ipcRenderer.on(IPC_EVENT_CHANNEL, h);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, h);
    };
  },
);

contextBridge.exposeInMainWorld('quire', {
  ...api,
  // A dropped File's real path; only the preload can ask for it (Electron removed File.path).
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  // Reveal / open the source file of a document (by id: main resolves the path from the queue).
  showInFolder: (documentId: string) => ipcRenderer.invoke(DESKTOP_CHANNELS.showInFolder, documentId),
  openFile: (documentId: string) => ipcRenderer.invoke(DESKTOP_CHANNELS.openFile, documentId),
});
