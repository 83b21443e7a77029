/**
 * Deskew cost per page (part of `npm run bench:ocr`): the skew estimate on every image page of the
 * corpus, in CPU time, for straight pages (left alone) and skewed ones (turned), plus the turn.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deskewPage } from '../src/core/ocr/deskew';
import { renderPage } from '../src/core/ocr/image';
import { sniffFormat } from '../src/core/ocr/sniff';
import { filePages } from '../src/core/ocr/sources';

const cpu = (t: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};

export async function deskewReport(corpus: string, extra: string[]): Promise<void> {
  const files: string[] = [];
  for (const d of [join(corpus, 'images'), join(corpus, 'receipts'), ...extra]) {
    if (existsSync(d)) for (const f of readdirSync(d).sort()) if (!/\.(txt|md|pdf)$/.test(f)) files.push(join(d, f));
  }
  const straight: number[] = [];
  const turned: { file: string; ms: number; angle: number }[] = [];
  let mp = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    const fmt = sniffFormat(bytes);
    if (!fmt || fmt === 'pdf') continue;
    let sources;
    try {
      sources = await filePages(bytes, fmt);
    } catch {
      continue;
    }
    for (const src of sources) {
      if (src.kind !== 'sharp') continue;
      const page = await renderPage(src);
      mp += (page.width * page.height) / 1e6;
      const t = process.cpuUsage();
      const d = await deskewPage(page);
      const ms = cpu(t);
      if (d.angle) turned.push({ file: f.split('/').pop()!, ms, angle: d.angle });
      else straight.push(ms);
    }
  }
  straight.sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`\n== deskew cost per page (CPU ms; ${straight.length + turned.length} pages, ${(mp / (straight.length + turned.length)).toFixed(1)} MP average)`);
  console.log(`left as they were: ${straight.length} pages, mean ${mean(straight).toFixed(0)} ms, median ${straight[Math.floor(straight.length / 2)]?.toFixed(0)} ms, max ${straight[straight.length - 1]?.toFixed(0)} ms`);
  console.log(`turned: ${turned.map((x) => `${x.file} ${x.angle} deg ${x.ms.toFixed(0)} ms`).join(', ') || 'none'}`);
}
