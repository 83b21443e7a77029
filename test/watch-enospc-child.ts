/**
 * Child process for the real watch-limit test: run inside a user namespace whose inotify limit
 * is tiny, it watches a folder with more subfolders than that limit and reports what happened.
 * argv: <dataDir> <watchedFolder>. Prints one JSON line: the folder status and the file outcome.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWatching } from '../src/core/watch/host';
import { FAST, openStore, waitFor } from './watch-support';

const [dataDir, root] = process.argv.slice(2) as [string, string];
const store = openStore(dataDir);
const handle = startWatching(store, { timing: FAST, refreshMs: 60_000 });
await handle.ready;
await waitFor('polling', () => handle.status().folders[0]?.state === 'polling', 20_000);
writeFileSync(join(root, 'd7', 'late.png'), 'late');
await waitFor('late.png enqueued', async () => (await store.getDocumentByPath(join(root, 'd7', 'late.png'))) !== null, 20_000);
const status = handle.status().folders[0];
await handle.stop();
await store.close();
process.stdout.write(JSON.stringify({ status }) + '\n');
