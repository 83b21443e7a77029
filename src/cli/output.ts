/** Small output helpers for the CLI: tables, CSV, a progress line that redraws on a terminal. */
import type { Writable } from 'node:stream';

export interface Io {
  out: Writable & { isTTY?: boolean };
  err: Writable & { isTTY?: boolean; columns?: number };
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export function bar(fraction: number, width = 24): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return '[' + '#'.repeat(full) + '-'.repeat(width - full) + ']';
}

/**
 * A status line: on a terminal it redraws in place (at most every 100 ms); elsewhere it prints a
 * plain line at most every `plainEveryMs`, so logs stay readable.
 */
/**
 * A progress line on stderr: redrawn in place on a terminal; into a log or a pipe, a plain line
 * every `plainEveryMs`, the first one only after that long, so a quick command's log holds its
 * summary alone and never a progress line that repeats it.
 */
export function statusLine(stream: Io['err'], plainEveryMs = 5000, now: () => number = Date.now) {
  const tty = Boolean(stream.isTTY);
  let last = tty ? 0 : now();
  let drawn = false;
  return {
    update(text: string, force = false) {
      const t = now();
      if (!force && t - last < (tty ? 100 : plainEveryMs)) return;
      last = t;
      if (tty) {
        const width = (stream.columns ?? 100) - 1;
        stream.write('\r' + text.slice(0, width).padEnd(width));
        drawn = true;
      } else {
        stream.write(text + '\n');
      }
    },
    done() {
      if (tty && drawn) stream.write('\r' + ' '.repeat((stream.columns ?? 100) - 1) + '\r');
      drawn = false;
    },
  };
}

export function minutes(m: number): string {
  if (m < 1) return `${Math.round(m * 60)} s`;
  if (m < 120) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

/** How many files a summary names per list; the rest are counted ("and N more"). */
export const LISTED = 20;

/** "2 not read: 1 unsupported_format, 1 permission_denied" lines, then the first names with why. */
export function notReadLines(list: { total: number; byReason: { reason: string; count: number }[]; files: { path: string; message: string }[] }, more: string): string {
  if (list.total === 0) return '';
  let out = `Not read (${list.total}: ${list.byReason.map((r) => `${r.count} ${r.reason}`).join(', ')}):\n`;
  for (const f of list.files.slice(0, LISTED)) out += `  ${f.path}\n    ${f.message}\n`;
  const shown = Math.min(list.files.length, LISTED);
  if (list.total > shown) out += `  ... and ${list.total - shown} more; ${more}\n`;
  return out;
}

/**
 * The store marks a snippet's matches with \u0002 ... \u0003. JSON readers get the plain text and
 * where the matches are in it (start and end offsets in JavaScript string units, and the text).
 */
export function unmarkSnippet(marked: string): { snippet: string; matches: { start: number; end: number; text: string }[] } {
  let snippet = '';
  const matches: { start: number; end: number; text: string }[] = [];
  let open: number | null = null;
  for (const ch of marked) {
    if (ch === '\u0002') open = snippet.length;
    else if (ch === '\u0003') {
      if (open !== null && snippet.length > open) matches.push({ start: open, end: snippet.length, text: snippet.slice(open) });
      open = null;
    } else snippet += ch;
  }
  return { snippet, matches };
}
