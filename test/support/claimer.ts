/**
 * Test helper process: claims and completes jobs from one SQLite file until none is left, then
 * prints the ids it completed as JSON. Several of these run at once against one database.
 */
import { loadMigrations } from '../../src/core/store/migrations';
import { SqliteJobStore } from '../../src/core/store/sqlite/store';
import { queuePolicy } from '../../src/core/queue/policy';

const [path, migrationsDir, workerId] = process.argv.slice(2) as [string, string, string];
const store = new SqliteJobStore({ path, migrations: loadMigrations(migrationsDir), policy: queuePolicy() });
const claimed: string[] = [];
let rejected = 0;
for (;;) {
  const job = store.claimSync(workerId);
  if (!job) break;
  claimed.push(job.jobId);
  const ok = store.completeSync(job.jobId, workerId, {
    text: `text of ${job.path}`,
    pages: [{ pageNo: 1, text: `text of ${job.path}`, confidence: 90, source: 'ocr' }],
    confidence: 90,
    engine: 'test',
    languages: 'eng',
    processingTimeMs: 1,
    contentHash: null,
  });
  if (!ok) rejected++;
}
await store.close();
process.stdout.write(JSON.stringify({ claimed, rejected }));
