/**
 * Inputs the corpus lacks, for `npm run bench:ocr -- --with-extra`: skewed and mixed pages with
 * ground truth, made from test fixtures (test/fixtures/ocr/SOURCES.md): charlesw/tesseract's
 * scewed-phototest.png (~10 degrees), phototest turned 25 degrees, and a letter whose text layer
 * sits beside a pasted-in scan of phototest (mixed page). Names carry "skew"/"mixed" for grouping.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { PdfWriter, num } from '../src/core/ocr/pdf-writer';
import { REPO_ROOT } from '../test/repo-root';

const fx = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'ocr', name);

export async function writeExtraInputs(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const gt = readFileSync(fx('tesstest-phototest.gt.txt'), 'utf8');
  copyFileSync(fx('charlesw-scewed-phototest.png'), join(dir, 'charlesw-scewed-phototest.png'));
  writeFileSync(join(dir, 'charlesw-scewed-phototest.gt.txt'), gt);
  await sharp(readFileSync(fx('tesstest-phototest.tif'))).rotate(-25, { background: '#ffffff' }).png().toFile(join(dir, 'skewed-phototest-25.png'));
  writeFileSync(join(dir, 'skewed-phototest-25.gt.txt'), gt);

  const { data, info } = await sharp(readFileSync(fx('tesstest-phototest.tif'))).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const w = new PdfWriter();
  const pages = w.alloc();
  const font = w.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const img = w.add(`<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace /DeviceGray /BitsPerComponent 8 >>`, Buffer.from(data));
  const layer = ['Dear reader, the scan you asked for is below.', 'Kind regards from the archive.'];
  const content = [
    `BT /F1 14 Tf 72 720 Td (${layer[0]}) Tj ET`,
    `BT /F1 14 Tf 72 700 Td (${layer[1]}) Tj ET`,
    `q ${num(460.8)} 0 0 ${num(345.6)} 72 300 cm /Im0 Do Q`,
    'BT /F1 12 Tf 90 310 Td (Figure one: a specimen page) Tj ET',
  ].join('\n');
  const c = w.add('<< >>', Buffer.from(content, 'latin1'));
  const page = w.add(`<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`);
  w.write(pages, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
  writeFileSync(join(dir, 'mixed-letter.pdf'), w.finish(w.add(`<< /Type /Catalog /Pages ${pages} 0 R >>`)));
  // Reading order as Quire gives it: the text layer (caption included), then the scan's words.
  writeFileSync(join(dir, 'mixed-letter.gt.txt'), `${layer.join('\n')}\nFigure one: a specimen page\n${gt}`);
}
