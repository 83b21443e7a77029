/**
 * Benchmark helper process: claim + complete in a loop on a SQLite queue for a fixed time,
 * then print how many cycles it did and the ids it claimed.
 */
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { queuePolicy } from '../src/core/queue/policy';

const [path, migrationsDir, workerId, startAtRaw, secondsRaw, synchronous] = process.argv.slice(2) as [string, string, string, string, string, string?];
const store = new SqliteJobStore({ path, migrations: loadMigrations(migrationsDir), synchronous: synchronous === 'normal' ? 'normal' : 'full', policy: queuePolicy() });
const startAt = Number(startAtRaw);
const endAt = startAt + Number(secondsRaw) * 1000;
while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 5));
const ids: string[] = [];
const cpu0 = process.cpuUsage();
const result = {
  text: 'lorem ipsum dolor sit amet '.repeat(40),
  pages: [{ pageNo: 1, text: 'lorem ipsum dolor sit amet '.repeat(40), confidence: 91, source: 'ocr' as const }],
  confidence: 91,
  engine: 'bench',
  languages: 'eng',
  processingTimeMs: 1,
  contentHash: null,
};
while (Date.now() < endAt) {
  const job = store.claimSync(workerId);
  if (!job) break;
  store.completeSync(job.jobId, workerId, result);
  ids.push(job.jobId);
}
const cpu = process.cpuUsage(cpu0);
await store.close();
process.stdout.write(JSON.stringify({ ids, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
