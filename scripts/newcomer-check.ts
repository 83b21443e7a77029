/**
 * The newcomer's check (issue 13): the reproductions of "every file accounted for", run end to
 * end through the built `quire` command with the real OCR engine on real files, as a new user
 * would type them. It prints each command with what it printed and its exit code, then a verdict
 * per check, and exits 1 when any check fails. CI runs it after npm test (npm run check:newcomer).
 *
 *   npm run check:newcomer            # in a temporary folder, removed afterwards
 *   npm run check:newcomer -- --keep  # keep the folder to look at
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(fileURLToPath(import.meta.url), '..', '..');
const BIN = join(REPO, 'bin', 'quire.js');
const FIX = join(REPO, 'test', 'fixtures');
const keep = process.argv.includes('--keep');

const root = mkdtempSync(join(tmpdir(), 'quire-newcomer-'));
const data = join(root, 'data');
const scans = join(root, 'scans');

interface Result {
  code: number | null;
  out: string;
  err: string;
  /** stdout and stderr, as a person sees them on one screen. */
  all: string;
}

let failures = 0;
let checks = 0;

function quire(...args: string[]): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, QUIRE_DATA_DIR: data, OCR_CONCURRENT_JOBS: '', DATABASE_URL: '' },
    timeout: 300_000,
  });
  const res = { code: r.status, out: r.stdout, err: r.stderr, all: `${r.stdout}${r.stderr}` };
  const shown = res.all.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
  process.stdout.write(`\n  $ quire ${args.map((a) => a.replace(root, '~')).join(' ')}\n${shown.replaceAll(root, '~')}\n    [exit ${res.code}]\n`);
  return res;
}

function check(what: string, ok: boolean, seen?: string): void {
  checks++;
  if (ok) process.stdout.write(`  ok      ${what}\n`);
  else {
    failures++;
    process.stdout.write(`  NOT OK  ${what}${seen === undefined ? '' : `\n          saw: ${seen.replaceAll(root, '~').trim().split('\n').join('\n               ')}`}\n`);
  }
}

function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

function put(from: string, to: string): string {
  const path = join(scans, to);
  mkdirSync(join(path, '..'), { recursive: true });
  copyFileSync(join(FIX, from), path);
  return path;
}

try {
  // A folder as people have them: two readable scans, a blank page, a damaged image, a PDF with a
  // password, and files Quire does not read.
  const letter = put('ui/phototest.tif', 'letter.tif');
  const blank = put('ocr/charlesw-empty.png', 'blank.png');
  const broken = put('ocr/bad-truncated.png', 'sub/broken.png');
  const locked = put('ocr/pypdf-libreoffice-writer-password.pdf', 'sub/locked.pdf');
  const notes = put('ocr/pypdf-pdflatex-4-pages.pdf', 'sub/notes.pdf');
  writeFileSync(join(scans, 'readme.txt'), 'not a scan\n');

  section('1. Cancelled files come back when the folder is run again');
  quire('pause');
  const ingest = quire('ingest', scans);
  check('ingest names the file it does not read, with the reason, counted by reason', /Not read \(1: 1 unsupported_format\)/.test(ingest.out) && ingest.out.includes(join(scans, 'readme.txt')), ingest.all);
  const cancelled = quire('cancel', '--all-pending');
  check('cancelling says how many jobs it cancelled', /Cancelled 5 jobs\./.test(cancelled.out), cancelled.all);
  quire('resume');
  const cancelledText = quire('text', letter);
  check('quire text on a cancelled file says how to have it read', cancelledText.code === 1 && /cancelled/.test(cancelledText.err) && /quire (run|requeue)/.test(cancelledText.err), cancelledText.all);
  const run = quire('run', scans);
  check('the run brings the 5 cancelled files back, and says so', /5 cancelled files queued again\./.test(run.all), run.all);
  check('the run counts every file under the folder: 3 completed, 2 failed, 0 cancelled, 1 not read', /3 files completed, 2 failed, 0 cancelled, 1 not read/.test(run.out), run.out);
  check('the run names the file it did not read, and why', /Not read \(1: 1 unsupported_format\)/.test(run.out) && run.out.includes(join(scans, 'readme.txt')), run.out);
  check('the run exits 1 because files failed', run.code === 1);
  check('each failed file is named with its kind', run.out.includes(broken) && run.out.includes('corrupt_file') && run.out.includes(locked) && run.out.includes('password_protected'), run.out);
  check('the closing hint says to fix the files first, not to requeue blindly', /Fix or replace the file first/.test(run.out) && !/Requeue them with: quire requeue-failed/.test(run.out), run.out);
  check('the text of a file that was cancelled can now be read', /quick brown/i.test(quire('text', letter).out));

  section('1b. A one-file run whose file was cancelled reads it');
  const single = put('ui/phototest.tif', 'later/single.tif');
  quire('pause');
  quire('ingest', single);
  quire('cancel', '--all-pending');
  quire('resume');
  const one = quire('run', single);
  check('one cancelled file run again: queued again, completed, exit 0', one.code === 0 && /1 cancelled file queued again\./.test(one.all) && /1 file completed/.test(one.out), one.all);

  section('1c. Cancelled files requeued from the CLI');
  const again = put('ocr/charlesw-empty.png', 'later/again.png');
  quire('pause');
  quire('ingest', again);
  quire('cancel', '--all-pending');
  const requeueCancelled = quire('requeue', '--cancelled');
  check('quire requeue --cancelled puts it back', requeueCancelled.code === 0 && /^1 requeued/m.test(requeueCancelled.out), requeueCancelled.all);
  quire('resume');
  const stats = JSON.parse(quire('stats', '--json').out) as { pending: number; cancelled: number };
  check('nothing is left cancelled; the file waits as pending', stats.cancelled === 0 && stats.pending === 1, JSON.stringify(stats));

  section('2. Files Quire does not read are named, listed, and an error when named');
  const skipped = quire('skipped');
  check('quire skipped lists the file with its reason, counted', skipped.out.includes(join(scans, 'readme.txt')) && /1 not read: 1 unsupported_format/.test(skipped.out), skipped.all);
  const named = quire('run', join(scans, 'readme.txt'));
  check('a file named on the command line that Quire cannot read is an error for the command', named.code === 1 && /Quire cannot read .*readme\.txt: it is a \.txt file/.test(named.err), named.all);
  const textOfSkipped = quire('text', join(scans, 'readme.txt'));
  check('quire text on it says why it is not read, not "add it"', textOfSkipped.code === 1 && /is not read by Quire/.test(textOfSkipped.err) && !/Add it with/.test(textOfSkipped.err), textOfSkipped.all);

  section('3. Requeue only where it can help; dismiss and remove');
  const unchanged = quire('requeue', '--failed');
  check(
    'requeueing unchanged damaged files requeues none and says why',
    /^0 requeued; 2 left as they are: the file has not changed since it failed \(1 corrupt_file, 1 password_protected\)\./m.test(unchanged.out),
    unchanged.all,
  );
  copyFileSync(join(FIX, 'ocr', 'charlesw-empty.png'), broken); // the user replaces the damaged scan
  const fixed = quire('requeue', '--failed');
  check('once the file changed, it is requeued', /^1 requeued; 1 left as it is: the file has not changed since it failed \(1 password_protected\)/m.test(fixed.out), fixed.all);
  const dismissed = quire('dismiss', '--kind', 'password_protected');
  check('a failure can be dismissed', dismissed.code === 0 && /Dismissed 1 failure\./.test(dismissed.out), dismissed.all);
  const failuresAfter = quire('failures');
  check('a dismissed failure leaves the failures list', !failuresAfter.all.includes(locked), failuresAfter.all);
  const removed = quire('remove', notes);
  check('a document can be removed from Quire', removed.code === 0 && /Removed 1 document/.test(removed.out), removed.all);
  check('the removed file itself is untouched', existsSync(notes) && readFileSync(notes).equals(readFileSync(join(FIX, 'ocr', 'pypdf-pdflatex-4-pages.pdf'))));
  const removedText = quire('text', notes);
  check('the removed document is gone from Quire', removedText.code !== 0, removedText.all);

  section('4. Settings say when they apply');
  const timeout = quire('config', 'set', 'ocr_timeout_seconds', '5');
  check('a setting a running Quire applies at once says so', timeout.code === 0 && /Saved; a running Quire applies it at once/.test(timeout.out), timeout.all);
  const languages = quire('config', 'set', 'ocr_languages', 'eng+deu');
  check('a setting applied from the next file says so', languages.code === 0 && /from the next file/.test(languages.out), languages.all);
  const batch = quire('config', 'set', 'queue_batch_size', '10');
  check('a value read only at start-up says a restart is needed, and why', batch.code !== 0 && /Restart Quire to apply it/.test(batch.err), batch.all);
  const many = quire('config', 'set', 'concurrent_ocr_jobs', '64');
  check('more workers than cores is capped, with a word', /Capped at \d+ OCR workers? \(asked for 64\)/.test(many.out), many.all);
  const list = quire('config', 'list');
  check('config list shows when each setting applies', /applies/.test(list.out) && /at once/.test(list.out), list.out);

  section('5. Smaller breaks of trust');
  const typo = quire('stats', '--data-dir', `${data}-typo`);
  check('a mistyped --data-dir is an error, not an empty queue', typo.code === 1 && /There is no Quire queue in .*data-typo/.test(typo.err) && !existsSync(`${data}-typo`), typo.all);
  const unknown = quire('run', scans, '--concurency', '2');
  check('an unknown option is one sentence naming the options', unknown.code === 2 && /quire run: there is no option --concurency; its options are .*--concurrency/.test(unknown.err) && !/positional argument/.test(unknown.err), unknown.all);
  const noJob = quire('requeue-failed', '--job', 'no-such-job');
  check('requeue-failed --job <unknown id> is an error naming the id', noJob.code === 1 && /There is no job with id no-such-job\./.test(noJob.err), noJob.all);
  const search = quire('search', 'quick', '--json');
  const hits = JSON.parse(search.out || '[]') as { snippet: string; matches: { text: string }[] }[];
  check(
    'search --json snippets are plain text with the matches listed',
    hits.length > 0 && hits.every((h) => ![...h.snippet].some((c) => c === '\u0002' || c === '\u0003') && h.matches.some((m) => /quick/i.test(m.text))),
    search.out,
  );
  const help = quire('requeue', '--help');
  check('per-command help says more than one line', help.out.split('\n').filter(Boolean).length > 4, help.out);

  void blank;
} finally {
  process.stdout.write(`\n${checks - failures} of ${checks} checks passed${failures ? `; ${failures} NOT OK` : ''}.\n`);
  if (keep) process.stdout.write(`Kept ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
}
process.exitCode = failures ? 1 : 0;
