/**
 * Pages of a source PDF copied into the output as they are: the page dictionary (with inherited
 * /Resources, /MediaBox, /CropBox, /Rotate made explicit) and every object it reaches, streams byte
 * for byte, each object once however many pages share it. A page that gets a text layer keeps its
 * own content, wrapped in q/Q so whatever graphics state it leaves cannot move the text, followed
 * by the layer; the font joins its resources. Read with pdf-objects.ts; anything it cannot follow
 * throws, and the caller lays that document out from rendered pages instead.
 */
import { deflateSync } from 'node:zlib';
import type { PdfDict, PdfObjects, PdfValue } from '../pdf-objects';
import { decodeStream } from '../pdf-objects';
import { MAX_CONTENT_BYTES } from '../pdf-page';
import type { PdfWriter } from '../pdf-writer';
import { stripTextObjects } from './strip-text';
import { FONT_NAME } from './text-layer';

const INHERITED = ['/Resources', '/MediaBox', '/CropBox', '/Rotate'];
const NAME = /^\/[^\s/[\]<>(){}%]*$/;
/** Refs below zero name objects already written to the output (their number negated). */
const NEW = (n: number): PdfValue => ({ ref: -n });

function isDict(v: PdfValue | undefined): v is PdfDict {
  return !!v && typeof v === 'object' && 'dict' in v;
}

export class PageCopier {
  private map = new Map<number, number>();
  private queue: number[] = [];

  constructor(
    private objs: PdfObjects,
    private w: PdfWriter,
    /** Source page object number -> output page object number, for every page of the document. */
    private pages: Map<number, number>,
  ) {}

  private renumber = (n: number): number => {
    if (n < 0) return -n;
    const page = this.pages.get(n);
    if (page !== undefined) return page;
    let m = this.map.get(n);
    if (m === undefined) {
      m = this.w.alloc();
      this.map.set(n, m);
      this.queue.push(n);
    }
    return m;
  };

  private serialise(v: PdfValue | undefined): string {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(5)));
    if (typeof v === 'boolean') return String(v);
    // pdf-objects gives names and strings both as JS strings, names with their '/': only one
    // name-shaped token is taken for a name (a font's /CharSet string "/A/B/C" stays a string).
    if (typeof v === 'string') return NAME.test(v) ? v : `<${Buffer.from(v, 'latin1').toString('hex')}>`;
    if (Array.isArray(v)) return `[${v.map((x) => this.serialise(x)).join(' ')}]`;
    if ('ref' in v) return `${this.renumber(v.ref)} 0 R`;
    const entries = [...v.dict.entries()].filter(([k]) => !(v.stream && k === '/Length'));
    return `<< ${entries.map(([k, x]) => `${k} ${this.serialise(x)}`).join(' ')} >>`;
  }

  /** Writes every object reached so far (and what they reach). */
  flush(): void {
    while (this.queue.length) {
      const n = this.queue.shift() as number;
      const v = this.objs.get({ ref: n });
      if (v === undefined) throw new Error(`object ${n} not found`);
      this.w.write(this.map.get(n) as number, this.serialise(v), isDict(v) ? v.stream : undefined);
    }
  }

  private inherited(page: PdfDict, key: string): PdfValue | undefined {
    let d: PdfDict | undefined = page;
    for (let depth = 0; d && depth < 32; depth++) {
      const v = d.dict.get(key);
      if (v !== undefined) return v;
      d = this.objs.dict(d.dict.get('/Parent'));
    }
    return undefined;
  }

  /**
   * Writes source page `ref` as output object `out` under `parent`; with `layer` (a content
   * stream) and `font` (the GlyphLessFont object), the layer is drawn over the page.
   */
  copyPage(
    ref: number,
    out: number,
    parent: number,
    layer?: {
      content: Buffer;
      font: number;
      stripText?: boolean;
      /** Show the page straightened: its content drawn through `cm` on a new box (no /Rotate). */
      reframe?: { width: number; height: number; cm: string };
    },
  ): void {
    const src = this.objs.dict({ ref });
    if (!src || src.dict.get('/Type') !== '/Page') throw new Error(`object ${ref} is not a page`);
    const page: PdfDict = { dict: new Map(src.dict) };
    for (const key of INHERITED) {
      const v = this.inherited(src, key);
      if (v !== undefined) page.dict.set(key, v);
    }
    page.dict.set('/Parent', NEW(parent));
    if (layer) {
      const resources: PdfDict = { dict: new Map(this.objs.dict(page.dict.get('/Resources'))?.dict ?? []) };
      const fonts: PdfDict = { dict: new Map(this.objs.dict(resources.dict.get('/Font'))?.dict ?? []) };
      fonts.dict.set(FONT_NAME, NEW(layer.font));
      resources.dict.set('/Font', fonts);
      page.dict.set('/Resources', resources);
      const contents = this.objs.get(page.dict.get('/Contents'));
      let original = Array.isArray(contents) ? contents : page.dict.get('/Contents') !== undefined ? [page.dict.get('/Contents') as PdfValue] : [];
      if (layer.stripText) {
        // The old invisible OCR text goes; everything else of the content stays as it was.
        // Bounded like the reader's own content walk: a page's streams together within MAX_CONTENT_BYTES.
        let left = MAX_CONTENT_BYTES;
        const decoded = original.map((c) => {
          const d = this.objs.dict(c);
          if (!d) throw new Error('content stream not found');
          const out = decodeStream(d, this.objs, left);
          left -= out.length;
          return out;
        });
        original = [NEW(this.w.add('<< /Filter /FlateDecode >>', deflateSync(stripTextObjects(Buffer.concat(decoded.flatMap((d) => [d, Buffer.from('\n')]))))))];
      }
      if (layer.reframe) {
        for (const key of ['/CropBox', '/TrimBox', '/BleedBox', '/ArtBox', '/Rotate']) page.dict.delete(key);
        page.dict.set('/MediaBox', [0, 0, layer.reframe.width, layer.reframe.height]);
      }
      const open = this.w.add('<< >>', Buffer.from(`q\n${layer.reframe ? layer.reframe.cm + '\n' : ''}`));
      const close = this.w.add('<< >>', Buffer.concat([Buffer.from('\nQ\n'), layer.content]));
      page.dict.set('/Contents', [NEW(open), ...original, NEW(close)]);
    }
    this.w.write(out, this.serialise(page));
    this.flush();
  }
}
