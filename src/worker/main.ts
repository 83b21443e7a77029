/**
 * OCR worker process entry, started by the pool supervisor through a Spawner
 * (child_process.fork in the CLI and the server, utilityProcess in the Electron app; tests use
 * their own entry, test/support/test-worker.ts, which adds the scripted engine).
 */
import { loadEngineFactory } from './engines';
import { startWorkerProcess } from './process';

startWorkerProcess(loadEngineFactory);
