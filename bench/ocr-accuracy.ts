/**
 * Accuracy per input type (`npm run bench:ocr -- --corpus <dir> [--accuracy-only] [--extra <dir>]`):
 * every input once through the real engine, CER per file grouped by the corpus MANIFEST's kind,
 * plus two cross-cutting groups (skewed, mixed pages), and the error kind of every input in bad/.
 * Prints the mean of per-file CERs (what the issue's 0.091 figure is) and the micro-average.
 */
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cer } from '../test/ocr-helpers';

interface Row {
  file: string;
  kind: string;
  notes: string;
}

export interface AccuracyDoc {
  file: string;
  text?: string;
  kind?: string;
  message?: string;
  ms: number;
}

/** What a bad input must fail with (corpus README: "Deliberately bad and awkward inputs"). */
const EXPECTED_BAD: Record<string, string> = {
  'bad-truncated.png': 'corrupt_file',
  'bad-zero-bytes.png': 'corrupt_file',
  'bad-text-renamed.png': 'unsupported_format',
  'bad-png-named-as.jpg': 'ok',
  'ocrmypdf-invalid.pdf': 'corrupt_file',
  'pdfminer-zen_of_python_corrupted.pdf': 'ok or corrupt_file',
  'pypdf-libreoffice-writer-password.pdf': 'password_protected',
};

function manifest(corpus: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  const p = join(corpus, 'MANIFEST.tsv');
  if (!existsSync(p)) return rows;
  const lines = readFileSync(p, 'utf8').split('\n').slice(1);
  for (const l of lines) {
    const c = l.split('\t');
    if (c.length < 10) continue;
    rows.set(join(corpus, c[0] as string), { file: c[0] as string, kind: c[1] as string, notes: c[9] as string });
  }
  return rows;
}

function runOnce(files: string[], languages: string): Promise<AccuracyDoc[]> {
  return new Promise((res, rej) => {
    const child = fork(join(import.meta.dirname, 'ocr-worker.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
    const docs: AccuracyDoc[] = [];
    child.on('message', (m: { type: string; file?: string; text?: string; kind?: string; message?: string; ms?: number }) => {
      if (m.type === 'doc' || m.type === 'error') docs.push({ file: m.file!, text: m.text, kind: m.kind, message: m.message, ms: m.ms ?? 0 });
      else if (m.type === 'done') res(docs);
    });
    child.on('exit', (code) => code && rej(new Error(`worker exited ${code}`)));
    child.send({ files, pages: Number.MAX_SAFE_INTEGER, once: true, languages });
  });
}

const gtOf = (file: string) => {
  const g = file.replace(/\.[^.]+$/, '.gt.txt');
  return existsSync(g) ? readFileSync(g, 'utf8') : null;
};

export async function accuracyReport(corpus: string, extra: string[], languages = 'eng'): Promise<void> {
  const rows = manifest(corpus);
  const files: string[] = [];
  for (const dir of ['images', 'pdf', 'receipts', 'bad']) {
    const d = join(corpus, dir);
    if (existsSync(d)) for (const f of readdirSync(d).sort()) if (!/\.(gt|fields)\.txt$/.test(f)) files.push(join(d, f));
  }
  for (const d of extra) for (const f of readdirSync(d).sort()) if (!/\.(txt|md)$/.test(f)) files.push(join(d, f));
  const typeOf = (f: string): string[] => {
    const r = rows.get(f);
    const kind = r?.kind ?? `extra:${(/\.([^.]+)$/.exec(f)?.[1] ?? '?').toLowerCase()}`;
    const groups = [kind];
    const about = `${basename(f)} ${r?.notes ?? ''}`;
    if (/skew|scew/i.test(about)) groups.push('group:skewed');
    if (/mixed/i.test(about) || kind === 'pdf:mixed') groups.push('group:mixed');
    return groups;
  };
  const t = Date.now();
  const docs = await runOnce(files, languages);
  console.log(`\n== accuracy per input type (${docs.length} inputs, languages ${languages}, ${((Date.now() - t) / 1000).toFixed(0)} s)`);
  const byType = new Map<string, { n: number; sum: number; dist: number; len: number; empty: number; failed: string[] }>();
  const perFile: string[] = [];
  for (const d of docs) {
    if (d.file.includes('/bad/')) continue;
    const g = gtOf(d.file);
    // Levenshtein is O(n*m): once per file, not once per group.
    const scored = g?.trim() ? cer(d.kind ? '' : (d.text ?? ''), g) : null;
    for (const type of typeOf(d.file)) {
      const s = byType.get(type) ?? { n: 0, sum: 0, dist: 0, len: 0, empty: 0, failed: [] };
      byType.set(type, s);
      if (d.kind) {
        s.failed.push(`${basename(d.file)}=${d.kind}`);
        if (g?.trim()) {
          // A failed input with GT scores as empty output (CER 1).
          s.n++;
          s.sum += 1;
          s.dist += scored!.dist;
          s.len += scored!.len;
        }
        continue;
      }
      if (g === null) continue;
      if (!g.trim()) {
        s.empty += (d.text ?? '').replace(/\s/g, '').length;
        continue;
      }
      const c = scored!;
      s.n++;
      s.sum += c.cer;
      s.dist += c.dist;
      s.len += c.len;
    }
    if (g?.trim() && !d.kind) perFile.push(`${basename(d.file)} ${(scored!.cer * 100).toFixed(1)}`);
    else if (d.kind) perFile.push(`${basename(d.file)} FAILED ${d.kind}`);
  }
  const all = { n: 0, sum: 0 };
  for (const [type, s] of [...byType.entries()].sort()) {
    if (!type.startsWith('group:') && !type.startsWith('extra:')) {
      all.n += s.n;
      all.sum += s.sum;
    }
    const mean = s.n ? (s.sum / s.n).toFixed(3) : '-';
    const micro = s.len ? (s.dist / s.len).toFixed(3) : '-';
    const extraInfo = [s.empty ? `chars on empty-GT inputs ${s.empty}` : '', s.failed.length ? `failed: ${s.failed.join(', ')}` : ''].filter(Boolean).join('; ');
    console.log(`${type.padEnd(22)} files with GT ${String(s.n).padStart(2)}  mean CER ${mean}  micro CER ${micro}${extraInfo ? '  ' + extraInfo : ''}`);
  }
  console.log(`corpus inputs with GT (images, pdf, receipts): ${all.n}, mean CER ${(all.sum / Math.max(1, all.n)).toFixed(3)}`);
  console.log(`per file CER %: ${perFile.join(', ')}`);
  console.log('bad/ inputs (kind got / expected):');
  for (const d of docs.filter((x) => x.file.includes('/bad/'))) {
    const want = EXPECTED_BAD[basename(d.file)] ?? '?';
    const got = d.kind ?? 'ok';
    console.log(`  ${basename(d.file)}: ${got} / ${want}${want.split(' or ').includes(got) ? '' : '  <-- MISMATCH'}${d.message ? ` (${d.message.slice(0, 120)})` : ''}`);
  }
}
