/** Decoded pixels in sharp's raw layout: rows top to bottom, interleaved 8-bit channels. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** Pixels per inch when the file says so. */
  dpi?: number;
}
