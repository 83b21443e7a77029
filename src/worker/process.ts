/**
 * Starting a worker process: its channel to the parent, the watchdog thread (the parent's death
 * and the memory limit are noticed even while the main thread is stuck in synchronous code), and
 * the worker loop. The built entry (main.ts) and the tests' entry share it.
 */
import type { OcrEngineFactory } from '../core/ocr/types';
import { PARENT_PID_ARG } from '../core/pool/protocol';
import { parentChannel } from './channel';
import { runWorker } from './run-worker';
import { startWatchdog } from './watchdog';

/** The host's pid, as the spawner passed it (so a host that dies while this process starts is still noticed). */
function parentPid(argv: readonly string[]): number {
  const arg = argv.find((a) => a.startsWith(`${PARENT_PID_ARG}=`));
  const pid = arg ? Number(arg.slice(PARENT_PID_ARG.length + 1)) : NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : process.ppid;
}

export function startWorkerProcess(loadEngine: (name: string) => Promise<OcrEngineFactory>): void {
  // Ctrl-C in a terminal signals the whole process group: the parent decides when workers stop
  // (it lets running jobs finish), so a worker ignores SIGINT. SIGTERM/SIGKILL still end it.
  process.on('SIGINT', () => {});
  const watchdog = startWatchdog({ parentPid: parentPid(process.argv) });
  runWorker({
    channel: parentChannel(),
    loadEngine,
    exit: (code) => process.exit(code),
    setMemoryLimit: (bytes) => watchdog.setMaxRss(bytes),
  });
}
