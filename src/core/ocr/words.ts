/**
 * Recognised words with their place on the page image as it was decoded (before deskew and
 * orientation turns), for laying an invisible text layer over the original image and for telling
 * OCR'd words from a PDF's own text. Each word is placed by its baseline (start and end point,
 * which carry any tilt) and its height above the baseline.
 */
import type { TessBlock } from './tesseract-worker';

export interface Point {
  x: number;
  y: number;
}

export interface PageWord {
  text: string;
  /** Baseline from the word's left edge to its right edge, in page-image pixels (y down). */
  start: Point;
  end: Point;
  /** Height above the baseline, in pixels: the line's, so a line's words share one size. */
  size: number;
  /** Last word of its line (no space is written after it). */
  lineEnd: boolean;
  confidence: number;
}

export interface PageWords {
  /** The image tesseract read (after any turns) that the word coordinates refer to. */
  width: number;
  height: number;
  /** Its resolution: pixels per inch. */
  dpi: number;
  words: PageWord[];
  /** Turns from the page image as decoded (original) to the image read, in order. */
  turns: Turn[];
  original: { width: number; height: number };
}

/** A turn made on the way to recognition: sharp's rotate(degrees), which grows the canvas. */
export interface Turn {
  degrees: number;
  from: { width: number; height: number };
  to: { width: number; height: number };
}

/** Words of tesseract's layout tree, in the coordinates of the image it read. */
export function wordsOf(blocks: readonly TessBlock[] | null | undefined): PageWord[] {
  const out: PageWord[] = [];
  for (const b of blocks ?? []) {
    for (const p of b.paragraphs) {
      for (const line of p.lines) {
        const words = line.words.filter((w) => w.text.trim());
        const bl = line.baseline;
        const slope = bl.x1 !== bl.x0 ? (bl.y1 - bl.y0) / (bl.x1 - bl.x0) : 0;
        const baseAt = (x: number) => (bl.x1 !== bl.x0 ? bl.y0 + slope * (x - bl.x0) : line.bbox.y1);
        words.forEach((w, i) => {
          const y0 = baseAt(w.bbox.x0);
          const y1 = baseAt(w.bbox.x1);
          const size = Math.max(1, (y0 + y1) / 2 - line.bbox.y0);
          out.push({
            text: w.text.trim(),
            start: { x: w.bbox.x0, y: y0 },
            end: { x: w.bbox.x1, y: y1 },
            size,
            lineEnd: i === words.length - 1,
            confidence: w.confidence,
          });
        });
      }
    }
  }
  return out;
}

/** Apply turns (in the order they were made) to a point of the first image. */
export function turn(p: Point, turns: readonly Turn[]): Point {
  let q = p;
  for (const t of turns) {
    const r = (t.degrees * Math.PI) / 180;
    const dx = q.x - t.from.width / 2;
    const dy = q.y - t.from.height / 2;
    q = { x: dx * Math.cos(r) - dy * Math.sin(r) + t.to.width / 2, y: dx * Math.sin(r) + dy * Math.cos(r) + t.to.height / 2 };
  }
  return q;
}

/** Undo turns (given in the order they were made) on a point: back to the first image. */
export function unturn(p: Point, turns: readonly Turn[]): Point {
  let q = p;
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i] as Turn;
    const r = (-t.degrees * Math.PI) / 180;
    const dx = q.x - t.to.width / 2;
    const dy = q.y - t.to.height / 2;
    q = { x: dx * Math.cos(r) - dy * Math.sin(r) + t.from.width / 2, y: dx * Math.sin(r) + dy * Math.cos(r) + t.from.height / 2 };
  }
  return q;
}

/** The words placed on the page image as decoded, before any turn (baselines then carry the tilt). */
export function wordsOnOriginal(pw: PageWords): PageWord[] {
  if (!pw.turns.length) return [...pw.words];
  return pw.words.map((w) => ({ ...w, start: unturn(w.start, pw.turns), end: unturn(w.end, pw.turns) }));
}

/** The axis-aligned box a word covers (its baseline raised by its size, across any tilt). */
export function wordBox(w: PageWord): { x0: number; y0: number; x1: number; y1: number } {
  const len = Math.hypot(w.end.x - w.start.x, w.end.y - w.start.y) || 1;
  // "Up" is perpendicular to the baseline, towards smaller y for an upright word.
  const ux = (w.end.y - w.start.y) / len;
  const uy = -(w.end.x - w.start.x) / len;
  const pts = [w.start, w.end, { x: w.start.x + ux * w.size, y: w.start.y + uy * w.size }, { x: w.end.x + ux * w.size, y: w.end.y + uy * w.size }];
  return {
    x0: Math.min(...pts.map((p) => p.x)),
    y0: Math.min(...pts.map((p) => p.y)),
    x1: Math.max(...pts.map((p) => p.x)),
    y1: Math.max(...pts.map((p) => p.y)),
  };
}

/** What reading one page gave: its text, mean confidence, and with `withWords` its words placed on the page image. */
export interface PageOutcome {
  text: string;
  confidence: number | null;
  /** With `withWords`: every word placed on the page image as decoded (see above). */
  words?: PageWords;
}
