/**
 * The worker loop: one OCR engine per process, one job at a time. For each job it hashes the
 * file, asks the parent whether an identical file is already done (the parent owns the
 * database), then runs the engine and reports pages as they start. Any failure goes back as data
 * with a kind; only a crash of the process itself is left for the parent to notice.
 */
import type { OcrEngine, OcrEngineFactory } from '../core/ocr/types';
import type { ParentMessage } from '../core/pool/protocol';
import { MEMORY_REPORT_MS, toWireError } from '../core/pool/protocol';
import type { Channel } from './channel';
import { hashFile } from './hash';

export interface WorkerDeps {
  channel: Channel;
  loadEngine: (name: string) => Promise<OcrEngineFactory>;
  exit: (code: number) => void;
}

export function runWorker(deps: WorkerDeps): void {
  const { channel } = deps;
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

  const runJob = async (m: Extract<ParentMessage, { type: 'job' }>) => {
    busy = true;
    const rss = () => process.memoryUsage.rss();
    const memory = setInterval(() => channel.send({ type: 'memory', id: m.id, rss: rss() }), MEMORY_REPORT_MS);
    memory.unref();
    try {
      if (!engine) throw new Error('The worker received a job before its engine was ready.');
      const contentHash = await hashFile(m.path);
      const reuse = await new Promise<boolean>((resolve) => {
        verdicts.set(m.id, resolve);
        channel.send({ type: 'hashed', id: m.id, contentHash });
      });
      if (reuse) {
        channel.send({ type: 'job-done', id: m.id, outcome: { ok: true, reused: true }, rss: rss() });
        return;
      }
      const result = await engine.recognize(
        { path: m.path, kind: m.kind },
        { onProgress: (page, pages) => channel.send({ type: 'progress', id: m.id, page, pages }) },
      );
      channel.send({ type: 'job-done', id: m.id, outcome: { ok: true, result: { ...result, contentHash } }, rss: rss() });
    } catch (err) {
      channel.send({ type: 'job-done', id: m.id, outcome: { ok: false, error: toWireError(err) }, rss: rss() });
    } finally {
      clearInterval(memory);
      busy = false;
    }
  };

  channel.onMessage((m) => {
    switch (m.type) {
      case 'init':
        void (async () => {
          try {
            const factory = await deps.loadEngine(m.engine);
            engine = await factory(m.engineOptions);
            channel.send({ type: 'ready', id: m.id, pid: process.pid, engine: engine.name });
          } catch (err) {
            channel.send({ type: 'init-failed', id: m.id, error: toWireError(err) });
          }
        })();
        break;
      case 'job':
        if (busy) {
          channel.send({
            type: 'job-done',
            id: m.id,
            outcome: { ok: false, error: { name: 'Error', message: 'The worker is already busy.', kind: 'engine_error' } },
            rss: process.memoryUsage.rss(),
          });
        } else void runJob(m);
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
