/** Preload: exposes named methods of the contract only, never ipcRenderer itself. */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('quire', {
  stats: () => ipcRenderer.invoke('quire:stats'),
});
