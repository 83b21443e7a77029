/**
 * A stand-in Quire host for the pid-namespace test: claims the first pending job of the queue in
 * the folder argv[2] under this process's worker id, says so on stdout, and holds it until killed.
 */
import { join } from 'node:path';
import { currentHost, workerIdFor } from '../../src/core/pool/host-id';
import { loadMigrations } from '../../src/core/store/migrations';
import { queuePolicy } from '../../src/core/queue/policy';
import { SqliteJobStore } from '../../src/core/store/sqlite/store';
import { REPO_ROOT } from '../repo-root';

const MIGRATIONS_SQLITE = join(REPO_ROOT, 'migrations', 'sqlite');

const store = new SqliteJobStore({ path: join(process.argv[2]!, 'quire.db'), migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() });
const workerId = workerIdFor(currentHost(), 1);
const job = await store.claim(workerId);
process.stdout.write(`claimed ${job?.path ?? 'nothing'} as ${workerId} (pid ${process.pid})\n`);
setInterval(() => {}, 1000);
