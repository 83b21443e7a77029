/**
 * The API's handlers wired to this host: the store and settings of its Quire, its pool and
 * watched folders, its request worker for page images, and its event bus.
 */
import { randomUUID } from 'node:crypto';
import { access, constants, stat } from 'node:fs/promises';
import type { Quire } from '../app';
import { type ApiDeps, type ApiHandlers, createHandlers } from '../api/handlers';
import type { PoolSeam, WatcherSeam } from '../api/seams';
import { exportDocuments } from '../export/export';
import type { RequestPool } from '../pool/requests';
import type { EventBus } from './bus';
import { engineOptionsOf } from './engine-options';

export interface ApiWiring {
  quire: Quire;
  bus: EventBus;
  pool?: PoolSeam;
  watcher: WatcherSeam;
  /** The request worker (page images); started on first use. */
  requests: () => RequestPool;
  now?: () => number;
}

export function createHostHandlers(w: ApiWiring): ApiHandlers {
  const { quire } = w;
  const deps: ApiDeps = {
    store: quire.store,
    now: w.now ?? Date.now,
    settings: () => quire.settings(),
    setSetting: (key, value) => quire.setSetting(key, value),
    checkSetting: (key, value) => quire.checkSetting(key, value),
    // A lock held by another process is waited out, and said on the bus like the pool's storage faults.
    ingest: (paths, onProgress, languages) => quire.ingest(paths, { onProgress, onStorageWait: (e) => w.bus.emit('storageStatus', e), languages }),
    async exportTo({ out, formats, onProgress }) {
      const config = await quire.config();
      const engineOptions = engineOptionsOf(quire, config);
      return exportDocuments(quire.store, {
        out,
        formats,
        onProgress,
        // Searchable PDFs are laid out from the source images by a worker process: about as slow as the OCR itself.
        pdfWriter: (doc) => w.requests().searchablePdf(doc.path, engineOptions),
      });
    },
    languages: async () => quire.languages().map(({ code, name, source }) => ({ code, name, source })),
    renderPage: async (doc, pageNo) => {
      try {
        const img = await w.requests().pageImage(doc.path, pageNo);
        return img && { mime: img.mime, base64: Buffer.from(img.bytes).toString('base64'), width: img.width, height: img.height };
      } catch {
        // A moved, unreadable or undecodable file, or a decoder that crashed or ran out of time: the viewer still shows the text.
        return null;
      }
    },
    pool: w.pool,
    watcher: w.watcher,
    emit: (event, data) => w.bus.emit(event, data),
    newId: randomUUID,
    async fileFacts(path) {
      try {
        const st = await stat(path);
        if (!st.isFile()) return null;
        const readable = await access(path, constants.R_OK).then(() => true, () => false);
        return { size: st.size, mtimeMs: st.mtimeMs, readable };
      } catch {
        return null;
      }
    },
  };
  return createHandlers(deps);
}
