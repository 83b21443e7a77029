/**
 * Inputs for the chaos and fuzz tests: small real files from test/fixtures made distinct in
 * content (bytes appended after the image/PDF end marker, which decoders ignore), or scripted
 * files for the fake engine (src/core/pool/testing/fake-engine.ts) when speed matters more than realism.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../repo-root';

export const OCR_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'ocr');

/** Valid, small, quick to OCR: the chaos batch is built from these. */
export const GOOD_FIXTURES = [
  'tessjs-simple-png.png',
  'tessjs-simple-gif.gif',
  'tessjs-simple-bmp.bmp',
  'tessjs-simple-pbm.pbm',
  'tessjs-simple-webp.webp',
  'tessjs-simple-90-exif.jpg',
  'charlesw-empty.png',
  'tesstest-phototest.tif',
  'pypdf-pdflatex-4-pages.pdf',
];

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InputFile {
  /** Relative name inside the batch folder. */
  name: string;
  bytes: Buffer;
}

/** `count` distinct real files: fixture i mod n, with "\n<tag> <i>\n" appended after the end marker. */
export function realInputs(count: number, tag: string): InputFile[] {
  const sources = GOOD_FIXTURES.map((f) => ({ f, bytes: readFileSync(join(OCR_FIXTURES, f)) }));
  const out: InputFile[] = [];
  for (let i = 0; i < count; i++) {
    const { f, bytes } = sources[i % sources.length]!;
    const dot = f.lastIndexOf('.');
    const name = `d${String(Math.floor(i / 50)).padStart(2, '0')}/${f.slice(0, dot)}-${String(i).padStart(4, '0')}${f.slice(dot)}`;
    out.push({ name, bytes: Buffer.concat([bytes, Buffer.from(`\n${tag} ${i}\n`)]) });
  }
  return out;
}

/** `count` scripted files for the fake engine: each takes `delayMs` per page, 1-3 pages. */
export function fakeInputs(count: number, tag: string, delayMs: number, random: () => number): InputFile[] {
  const out: InputFile[] = [];
  for (let i = 0; i < count; i++) {
    const pages = 1 + Math.floor(random() * 3);
    const name = `d${String(Math.floor(i / 50)).padStart(2, '0')}/scan-${String(i).padStart(4, '0')}.png`;
    out.push({ name, bytes: Buffer.from(`name ${tag} ${i}\npages ${pages}\ndelay ${delayMs}\ntext chaos ${i}\n`) });
  }
  return out;
}

export function writeInputs(dir: string, files: InputFile[]): string[] {
  return files.map((f) => {
    const p = join(dir, f.name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, f.bytes);
    return p;
  });
}

export function copyFixture(name: string, to: string): string {
  copyFileSync(join(OCR_FIXTURES, name), to);
  return to;
}
