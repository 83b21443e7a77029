/**
 * OCR worker process entry, started by the pool supervisor through a Spawner
 * (child_process.fork in the CLI and the server, utilityProcess in the Electron app; tests use
 * their own entry, test/support/test-worker.ts, which adds the scripted engine).
 */
import { parentChannel } from './channel';
import { loadEngineFactory } from './engines';
import { runWorker } from './run-worker';

// Ctrl-C in a terminal signals the whole process group: the parent decides when workers stop
// (it lets running jobs finish), so a worker ignores SIGINT. SIGTERM/SIGKILL still end it.
process.on('SIGINT', () => {});
runWorker({ channel: parentChannel(), loadEngine: loadEngineFactory, exit: (code) => process.exit(code) });
