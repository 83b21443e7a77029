/** Marking matched words: search snippets (marked by the server) and page text (marked here from the query). */
import type { ReactNode } from 'react';

const START = String.fromCharCode(2);
const END = String.fromCharCode(3);
const MARKS = new RegExp(`([${START}${END}])`);

/** Snippets mark matches with \u0002 … \u0003 (never HTML), so they render as text plus <mark>. */
export function Snippet(props: { text: string }) {
  const parts = props.text.split(MARKS);
  let inMark = false;
  const out: ReactNode[] = [];
  parts.forEach((p, i) => {
    if (p === START) inMark = true;
    else if (p === END) inMark = false;
    else if (p) out.push(inMark ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>);
  });
  return <p className="snippet">{out}</p>;
}

/**
 * The words of a search query as the search matches them (the store's ftsQuery): every word is
 * required, a trailing * makes it a prefix; quotes and other signs are not words.
 */
export function queryTerms(query: string): { word: string; prefix: boolean }[] {
  return (query.match(/[\p{L}\p{N}_]+\*?/gu) ?? [])
    .map((w) => ({ word: w.replace(/\*$/, '').toLowerCase(), prefix: w.endsWith('*') }))
    .filter((t) => t.word.length > 0);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Page text with the query's words in <mark>; plain text when there is no query. */
export function MarkedText(props: { text: string; query: string }) {
  const terms = queryTerms(props.query);
  if (terms.length === 0) return <>{props.text}</>;
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(${terms.map((t) => escape(t.word) + (t.prefix ? '[\\p{L}\\p{N}_]*' : '')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of props.text.matchAll(re)) {
    if (m.index > last) out.push(props.text.slice(last, m.index));
    out.push(<mark key={m.index}>{m[0]}</mark>);
    last = m.index + m[0].length;
  }
  out.push(props.text.slice(last));
  return <>{out}</>;
}
