/** The sentence above search results: true counts, never "100" when there were more. */
import { num } from '../../format';

/** The search handler answers at most this many. */
export const MOST = 200;

/** `got` results came back for a request of `limit + 1` (or of MOST, when limit is MOST). */
export function countText(shown: number, limit: number, got: number): string {
  if (got === 0) return 'No document contains those words.';
  if (got > limit) return `More than ${num(limit)} documents match; the first ${num(limit)} are shown.`;
  if (got === limit && limit >= MOST) return `At least ${num(limit)} documents match; the first ${num(shown)} are shown. Add words to narrow the search.`;
  return got === 1 ? '1 document matches.' : `${num(got)} documents match.`;
}
