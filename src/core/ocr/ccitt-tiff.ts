/**
 * A PDF CCITTFaxDecode image stream as a TIFF file (Group 3 or 4, one strip), so libvips decodes it
 * natively, a row band at a time, with its own pixel limit lifted: a 35000 x 35000 1-bit page
 * (OCRmyPDF's hugemono.pdf, 1.2 gigapixels) stays ~150 MB as packed bits instead of the 5 GB of
 * RGBA pdfjs would need. The stream bytes are not changed.
 */
export interface CcittParams {
  /** PDF /K: < 0 Group 4, 0 Group 3 1-D, > 0 Group 3 2-D. */
  k: number;
  width: number;
  height: number;
  encodedByteAlign: boolean;
  /** Shown inverted (/BlackIs1 true, or /Decode [1 0], not both). */
  inverted: boolean;
}

export function ccittTiff(data: Buffer, p: CcittParams): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 4, p.width], // ImageWidth
    [257, 4, p.height], // ImageLength
    [258, 3, 1], // BitsPerSample
    [259, 3, p.k < 0 ? 4 : 3], // Compression: T6 (G4) or T4 (G3)
    // libtiff decodes white runs to 0 bits: WhiteIsZero shows the page as coded.
    [262, 3, p.inverted ? 1 : 0],
    [273, 4, 0], // StripOffsets (set below)
    [277, 3, 1], // SamplesPerPixel
    [278, 4, p.height], // RowsPerStrip
    [279, 4, data.length], // StripByteCounts
    // T4Options: bit 0 = 2-D coding, bit 2 = fill bits before EOL (byte-aligned); T6Options: 0.
    [p.k < 0 ? 293 : 292, 4, p.k < 0 ? 0 : (p.k > 0 ? 1 : 0) | (p.encodedByteAlign ? 4 : 0)],
  ];
  const ifdAt = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataAt = ifdAt + ifdSize;
  const head = Buffer.alloc(dataAt);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(ifdAt, 4);
  head.writeUInt16LE(entries.length, ifdAt);
  entries.forEach(([tag, type, value], i) => {
    const at = ifdAt + 2 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? dataAt : value;
    if (type === 3) head.writeUInt16LE(v, at + 8);
    else head.writeUInt32LE(v, at + 8);
  });
  head.writeUInt32LE(0, ifdAt + 2 + entries.length * 12); // no next IFD
  return Buffer.concat([head, data]);
}
