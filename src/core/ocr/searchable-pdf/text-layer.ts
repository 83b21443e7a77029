/**
 * The invisible text layer: every recognised word drawn in render mode 3 (neither filled nor
 * stroked) with GlyphLessFont, tesseract's own font for this (src/api/pdfrenderer.cpp, Apache-2.0):
 * one empty glyph 500/1000 em wide and 1 em tall that every character code maps to, so a word's
 * glyph run can be stretched (Tz) to cover exactly the word on the image, and the text extracts
 * as Unicode through a ToUnicode map (codes are UTF-16 units, Identity-H).
 */
import { deflateSync } from 'node:zlib';
import type { PdfWriter } from '../pdf-writer';
import { num } from '../pdf-writer';
import type { PageWord, Point } from '../words';

/** tesseract's GlyphLessFont (TrueType, 572 bytes), as its PDF renderer embeds it. */
const GLYPHLESS_TTF = Buffer.from(
  'AAEAAAAKAIAAAwAgT1MvMlbeyJQAAAEoAAAAYGNtYXAACgA0AAABkAAAAB5nbHlmFSJBJAAAAbgAAAAYaGVhZAt48WUAAACsAAAANmhoZWEMAgQCAAAA5AAAACRobXR4BAAAAAAAAYgAAAAIbG9jYQAMAAAAAAGwAAAABm1heHAABAAFAAABCAAAACBuYW1l8usW2gAAAdAAAABLcG9zdAABAAEAAAIcAAAAIAABAAAAAQAAsJRxEF8PPPUEBwgAAAAAAM+a/G4AAAAA1MOn8gAAAAAEAAgAAAAAEAACAAAAAAAAAAEAAAgA//8AAAQAAAAAAAQAAAEAAAAAAAAAAAAAAAAAAAACAAEAAAACAAQAAQAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAwAAAZAABQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAUAAQABAAAAAAAAAAAAAAAAAAAAAAAAAAAAR09PRwBAAAAAAAAB//8AAAABAAGAAAAAAAAAAAAAAAAAAAABAAAAAAAABAAAAAAAAAIAAQAAAAAAFAADAAAAAAAUAAYACgAAAAAAAAAAAAAAAAAMAAAAAQAAAAAEAAgAAAMAADEhESEEAPwACAAAAAADACoAAAADAAAABQAWAAAAAQAAAAAABQALABYAAwABBAkABQAWAAAAVgBlAHIAcwBpAG8AbgAgADEALgAwVmVyc2lvbiAxLjAAAAEAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAA=',
  'base64',
);

const TO_UNICODE = [
  '/CIDInit /ProcSet findresource begin',
  '12 dict begin',
  'begincmap',
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
  '/CMapName /Adobe-Identity-UCS def',
  '/CMapType 2 def',
  '1 begincodespacerange',
  '<0000> <FFFF>',
  'endcodespacerange',
  '1 beginbfrange',
  '<0000> <FFFF> <0000>',
  'endbfrange',
  'endcmap',
  'CMapName currentdict /CMap defineresource pop',
  'end',
  'end',
].join('\n');

/** The resource name pages use for the font. */
export const FONT_NAME = '/QuireOCR';

/** Writes the font's objects once per document; returns the Type0 font's object number. */
export function writeGlyphLessFont(w: PdfWriter): number {
  // Every CID (a UTF-16 unit) to glyph 1, the empty one.
  const cidToGid = Buffer.alloc(65536 * 2);
  for (let i = 0; i < 65536; i++) cidToGid.writeUInt16BE(1, i * 2);
  const fontFile = w.add(`<< /Length1 ${GLYPHLESS_TTF.length} >>`, GLYPHLESS_TTF);
  const descriptor = w.add(
    `<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 /FontFile2 ${fontFile} 0 R >>`,
  );
  const map = w.add('<< /Filter /FlateDecode >>', deflateSync(cidToGid));
  const cid = w.add(
    `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /CIDToGIDMap ${map} 0 R /DW 500 >>`,
  );
  const toUnicode = w.add('<< >>', Buffer.from(TO_UNICODE, 'latin1'));
  return w.add(`<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
}

/** From page-image pixels (y down) to PDF user space. */
export type ToUser = (p: Point) => Point;

/** A content stream drawing `words` invisibly, each over its place on the image. */
export function textLayer(words: readonly PageWord[], toUser: ToUser): Buffer {
  const ops: string[] = ['BT', '3 Tr'];
  words.forEach((w, i) => {
    // A word and the space after it run up to the next word of the line: text extraction then
    // sees one line of words joined by spaces, not words separated by gaps it may take for columns.
    const next = w.lineEnd ? undefined : words[i + 1];
    const a = toUser(w.start);
    const b = toUser(next && next.start.x > w.end.x - 1 ? next.start : w.end);
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (!(len > 0) || !w.text) return;
    const cos = (b.x - a.x) / len;
    const sin = (b.y - a.y) / len;
    // The height above the baseline, measured in user space perpendicular to the baseline.
    const px = Math.hypot(w.end.x - w.start.x, w.end.y - w.start.y) || 1;
    const up = { x: w.start.x + ((w.end.y - w.start.y) / px) * w.size, y: w.start.y - ((w.end.x - w.start.x) / px) * w.size };
    const u = toUser(up);
    const size = Math.max(0.5, Math.abs((u.x - a.x) * -sin + (u.y - a.y) * cos));
    const text = w.lineEnd ? w.text : `${w.text} `;
    const units = Buffer.from(text, 'utf16le').swap16();
    const glyphs = units.length / 2;
    // Stretch the glyph run (500/1000 em per glyph) to the word's width on the image.
    const tz = (100 * len) / (glyphs * 0.5 * size);
    ops.push(`${num(cos)} ${num(sin)} ${num(-sin)} ${num(cos)} ${num(a.x)} ${num(a.y)} Tm`, `${FONT_NAME} ${num(size)} Tf`, `${num(tz)} Tz`, `<${units.toString('hex')}> Tj`);
  });
  ops.push('ET');
  return Buffer.from(ops.join('\n') + '\n', 'latin1');
}
