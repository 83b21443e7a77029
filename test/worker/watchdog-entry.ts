/**
 * A stand-in worker for the watchdog tests: starts the watchdog (unless told not to), says
 * "ready" on stdout, then blocks its main thread in synchronous code for good.
 *   argv: spin <parentPid> <watchdog: on|off>
 *         alloc <parentPid> <watchdog: on|off> <limitMb> <mbPerStep>
 * alloc touches every byte it allocates (resident, not just reserved) and writes, synchronously,
 * one line per step: "<Date.now()> <rss bytes>", so the test sees when the limit was passed.
 */
import { writeSync } from 'node:fs';
import { startWatchdog } from '../../src/worker/watchdog';

const [mode, parentPid, watchdog, limitMb, stepMb] = process.argv.slice(2);
const MB = 1024 * 1024;
if (watchdog === 'on') startWatchdog({ parentPid: Number(parentPid), maxRssBytes: mode === 'alloc' ? Number(limitMb) * MB : undefined });
// Give the thread a moment to start before the main thread stops answering (a real worker starts
// it long before its first job).
await new Promise((r) => setTimeout(r, 200));
writeSync(1, `ready ${process.pid}\n`);
if (mode === 'spin') {
  for (;;) {
    // a decoder stuck in a loop
  }
}
const keep: Buffer[] = [];
// Stop by itself at 4x the limit, so the control without a watchdog ends too.
while (process.memoryUsage.rss() < Number(limitMb) * 4 * MB) {
  keep.push(Buffer.alloc(Number(stepMb) * MB, 1));
  writeSync(1, `${Date.now()} ${process.memoryUsage.rss()}\n`);
  const until = Date.now() + 10;
  while (Date.now() < until) {
    // a pace of stepMb per ~10 ms, in synchronous code
  }
}
writeSync(1, 'not stopped\n');
