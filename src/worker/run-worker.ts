/**
 * The worker loop: one OCR engine per process, one job at a time. For each job it reads the file
 * once, hashes exactly those bytes, asks the parent whether an identical file is already done
 * (the parent owns the database), then hands the same bytes to the engine and reports pages as
 * they start. Any failure goes back as data with a kind; only a crash of the process itself is
 * left for the parent to notice. Requests (page images, searchable PDFs) are served the same way.
 */
import { sha256Bytes } from '../core/content-hash';
import { readInput } from '../core/ocr/fs-errors';
import type { OcrEngine, OcrEngineFactory } from '../core/ocr/types';
import type { ParentMessage } from '../core/pool/protocol';
import { MEMORY_REPORT_MS, toWireError } from '../core/pool/protocol';
import type { Channel } from './channel';
import { serveRequest } from './requests';

export interface WorkerDeps {
  channel: Channel;
  loadEngine: (name: string) => Promise<OcrEngineFactory>;
  exit: (code: number) => void;
  /** This process's resident set size (the in-memory spawner gives a stand-in). */
  rss?: () => number;
  pid?: number;
  /** Requests other than jobs; default: the real decoders. */
  serve?: typeof serveRequest;
  /** Hands the host's memory limit to the watchdog (src/worker/process.ts). */
  setMemoryLimit?: (bytes: number) => void;
}

export function runWorker(deps: WorkerDeps): void {
  const { channel } = deps;
  const rss = deps.rss ?? (() => process.memoryUsage.rss());
  const serve = deps.serve ?? serveRequest;
  let engine: OcrEngine | undefined;
  let busy = false;
  const verdicts = new Map<number, (reuse: boolean) => void>();

  const shutdown = async (code: number) => {
    try {
      await engine?.close();
    } finally {
      deps.exit(code);
    }
  };

  /** While work runs, report memory so the parent can stop a leak before it takes the machine. */
  const watchMemory = (id: number) => {
    const timer = setInterval(() => channel.send({ type: 'memory', id, rss: rss() }), MEMORY_REPORT_MS);
    timer.unref?.();
    return () => clearInterval(timer);
  };

  const runJob = async (m: Extract<ParentMessage, { type: 'job' }>) => {
    busy = true;
    const stopWatching = watchMemory(m.id);
    try {
      if (!engine) throw new Error('The worker received a job before its engine was ready.');
      const bytes = await readInput(m.path);
      const contentHash = sha256Bytes(bytes);
      const reuse = await new Promise<boolean>((resolve) => {
        verdicts.set(m.id, resolve);
        channel.send({ type: 'hashed', id: m.id, contentHash });
      });
      if (reuse) {
        channel.send({ type: 'job-done', id: m.id, outcome: { ok: true, reused: true }, rss: rss() });
        return;
      }
      const result = await engine.recognize(
        { path: m.path, kind: m.kind, bytes, ...(m.languages ? { languages: m.languages } : {}) },
        { onProgress: (page, pages) => channel.send({ type: 'progress', id: m.id, page, pages }) },
      );
      channel.send({ type: 'job-done', id: m.id, outcome: { ok: true, result: { ...result, contentHash } }, rss: rss() });
    } catch (err) {
      channel.send({ type: 'job-done', id: m.id, outcome: { ok: false, error: toWireError(err) }, rss: rss() });
    } finally {
      stopWatching();
      busy = false;
    }
  };

  const runRequest = async (m: Extract<ParentMessage, { type: 'request' }>) => {
    busy = true;
    const stopWatching = watchMemory(m.id);
    try {
      const value = await serve(m.request);
      channel.send({ type: 'request-done', id: m.id, outcome: { ok: true, value }, rss: rss() });
    } catch (err) {
      channel.send({ type: 'request-done', id: m.id, outcome: { ok: false, error: toWireError(err) }, rss: rss() });
    } finally {
      stopWatching();
      busy = false;
    }
  };

  const busyError = { name: 'Error', message: 'The worker is already busy.', kind: 'engine_error' } as const;

  channel.onMessage((m) => {
    switch (m.type) {
      case 'init':
        if (m.maxRssBytes) deps.setMemoryLimit?.(m.maxRssBytes);
        void (async () => {
          try {
            if (m.engine !== null) engine = await (await deps.loadEngine(m.engine))(m.engineOptions);
            channel.send({ type: 'ready', id: m.id, pid: deps.pid ?? process.pid, engine: engine?.name ?? 'none' });
          } catch (err) {
            channel.send({ type: 'init-failed', id: m.id, error: toWireError(err) });
          }
        })();
        break;
      case 'job':
        if (busy) channel.send({ type: 'job-done', id: m.id, outcome: { ok: false, error: busyError }, rss: rss() });
        else void runJob(m);
        break;
      case 'request':
        if (busy) channel.send({ type: 'request-done', id: m.id, outcome: { ok: false, error: busyError }, rss: rss() });
        else void runRequest(m);
        break;
      case 'hash-verdict':
        verdicts.get(m.id)?.(m.reuse);
        verdicts.delete(m.id);
        break;
      case 'shutdown':
        void shutdown(0);
        break;
    }
  });
  // Orphan guard: when the parent dies (even by SIGKILL) the IPC channel closes; go with it.
  channel.onDisconnect(() => deps.exit(0));
}
