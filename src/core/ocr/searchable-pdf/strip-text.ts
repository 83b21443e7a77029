/**
 * Removes text objects (BT ... ET) from a content stream: used on pages whose only text is an
 * earlier invisible OCR layer, so the new layer replaces it instead of doubling it (what OCRmyPDF's
 * --redo-ocr does). Strings, comments and inline images are skipped as units, so bytes inside them
 * never count as operators; every step of the scan moves forward.
 */
const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** Index just past the token starting at i (a string, hex string, comment, name, or word). */
function tokenEnd(b: Buffer, i: number): number {
  const c = b[i] as number;
  if (c === 0x28) {
    // literal string: balanced parentheses, backslash escapes
    let depth = 0;
    for (let j = i; j < b.length; j++) {
      const ch = b[j];
      if (ch === 0x5c) {
        j++;
        continue;
      }
      if (ch === 0x28) depth++;
      else if (ch === 0x29 && --depth === 0) return j + 1;
    }
    return b.length;
  }
  if (c === 0x3c && b[i + 1] !== 0x3c) {
    const j = b.indexOf(0x3e, i + 1);
    return j < 0 ? b.length : j + 1;
  }
  if (c === 0x25) {
    let j = i;
    while (j < b.length && b[j] !== 0x0a && b[j] !== 0x0d) j++;
    return j;
  }
  if ((c === 0x3c && b[i + 1] === 0x3c) || (c === 0x3e && b[i + 1] === 0x3e)) return i + 2;
  if (DELIM.has(c)) {
    if (c !== 0x2f) return i + 1;
    let j = i + 1;
    while (j < b.length && !WS.has(b[j] as number) && !DELIM.has(b[j] as number)) j++;
    return j;
  }
  let j = i;
  while (j < b.length && !WS.has(b[j] as number) && !DELIM.has(b[j] as number)) j++;
  return j;
}

export function stripTextObjects(content: Buffer): Buffer {
  const keep: Buffer[] = [];
  let from = 0; // start of the next kept run
  let inText = -1; // where the current BT began
  let i = 0;
  while (i < content.length) {
    if (WS.has(content[i] as number)) {
      i++;
      continue;
    }
    const end = Math.max(i + 1, tokenEnd(content, i));
    const word = end - i <= 2 ? content.toString('latin1', i, end) : '';
    if (word === 'BI') {
      // Inline image: its data runs from ID to the EI that stands alone.
      const id = content.indexOf('ID', end, 'latin1');
      const ei = id < 0 ? -1 : content.indexOf('EI', id + 3, 'latin1');
      i = ei < 0 ? content.length : ei + 2;
      continue;
    }
    if (word === 'BT' && inText < 0) {
      keep.push(content.subarray(from, i));
      inText = i;
    } else if (word === 'ET' && inText >= 0) {
      inText = -1;
      from = end;
    }
    i = end;
  }
  if (inText < 0) keep.push(content.subarray(from));
  return Buffer.concat(keep);
}
