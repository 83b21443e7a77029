/**
 * Full-text search with snippets. The query lives in the address (#/documents?q=...), so Back
 * from a document returns to the same query and results (kept here, not fetched again).
 */
import { useEffect, useState } from 'react';
import type { SearchHit } from '../../../ipc/contract';
import { api, useAction } from '../../api/client';
import { Messages } from '../../components/Messages';
import { baseName, dirName, num } from '../../format';
import { countText, MOST } from './count';
import { Snippet } from './marks';

const FIRST = 100;

/** The last results, so Back shows them at once. */
let kept: { query: string; limit: number; hits: SearchHit[] } | null = null;

export function Documents(props: { query: string; onSearch: (q: string) => void; onOpen: (id: string, q: string) => void }) {
  const [q, setQ] = useState(props.query);
  const [result, setResult] = useState(kept && kept.query === props.query ? kept : null);
  const action = useAction();

  const run = (query: string, limit: number) =>
    void action.run('Searching', () => api.search({ query, limit: limit >= MOST ? MOST : limit + 1 }), (hits) => {
      kept = { query, limit, hits };
      setResult(kept);
    });

  useEffect(() => {
    setQ(props.query);
    if (!props.query.trim()) return setResult(null);
    if (kept && kept.query === props.query) return setResult(kept);
    run(props.query, FIRST);
  }, [props.query]);

  const shown = result ? result.hits.slice(0, result.limit) : [];
  return (
    <section aria-labelledby="docs-title">
      <h1 id="docs-title">Documents</h1>
      <form
        role="search"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          kept = null;
          if (q.trim() === props.query) run(q.trim(), FIRST);
          else props.onSearch(q.trim());
        }}
      >
        <label htmlFor="search">Search the text of every document</label>
        <input id="search" type="search" className="grow" value={q} onChange={(e) => setQ(e.target.value)} data-testid="search-input" />
        <button type="submit" disabled={!q.trim()}>
          Search
        </button>
      </form>
      <p className="muted">Every word must appear; end a word with * to match its beginning (invoic* finds invoice and invoices). File names are not searched here: find a file by its name under Jobs.</p>
      <Messages busy={action.busy} error={action.error} />
      {result && (
        <p aria-live="polite" data-testid="search-count">
          {countText(shown.length, result.limit, result.hits.length)}{' '}
          {result.hits.length > result.limit && result.limit < MOST && (
            <button type="button" className="small" onClick={() => run(result.query, MOST)}>
              Show up to {MOST}
            </button>
          )}
        </p>
      )}
      <ul className="hits">
        {shown.map((h) => (
          <li key={h.documentId} data-testid="search-hit">
            <button type="button" className="link" onClick={() => props.onOpen(h.documentId, result!.query)}>
              {baseName(h.path)}
            </button>
            <span className="muted path-dir"> {dirName(h.path)}</span>
            {h.pageCount !== null && <span className="muted"> · {h.pageCount === 1 ? '1 page' : `${num(h.pageCount)} pages`}</span>}
            <Snippet text={h.snippet} />
          </li>
        ))}
      </ul>
    </section>
  );
}
