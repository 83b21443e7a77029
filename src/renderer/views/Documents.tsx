/** Full-text search with snippets, and a viewer: each page's text beside its image. */
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import type { DocumentView, PageImage, SearchHit } from '../../ipc/contract';
import { api, useAction } from '../api/client';
import { Messages } from '../components/Messages';
import { plural } from '../format';

const START = String.fromCharCode(2);
const END = String.fromCharCode(3);
const MARKS = new RegExp(`([${START}${END}])`);

/** Snippets mark matches with \u0002 … \u0003 (never HTML), so they render as text plus <mark>. */
function Snippet(props: { text: string }) {
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

function PageView(props: { documentId: string; pageNo: number; text: string; confidence: number | null }) {
  const [img, setImg] = useState<PageImage | null | undefined>(undefined);
  useEffect(() => {
    void api.pageImage({ documentId: props.documentId, pageNo: props.pageNo }).then((r) => setImg(r.ok ? r.value : null));
  }, [props.documentId, props.pageNo]);
  return (
    <article className="page" aria-label={`Page ${props.pageNo}`}>
      <div className="page-image">
        {img === undefined && <p className="muted">Loading image…</p>}
        {img === null && <p className="muted">No image preview for this page.</p>}
        {img && <img src={`data:${img.mime};base64,${img.base64}`} width={img.width} height={img.height} alt={`Page ${props.pageNo} of the scanned document`} />}
      </div>
      <div className="page-text">
        <h3>
          Page {props.pageNo}
          {props.confidence !== null ? <small> (confidence {Math.round(props.confidence)}%)</small> : <small> (text layer)</small>}
        </h3>
        <pre data-testid="page-text">{props.text}</pre>
      </div>
    </article>
  );
}

export function Viewer(props: { id: string; onClose: () => void }) {
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const action = useAction();
  useEffect(() => {
    void action.run('Opening document', () => api.document({ id: props.id }), (d) => void setDoc(d));
  }, [props.id]);
  return (
    <section aria-labelledby="viewer-title">
      <button type="button" onClick={props.onClose}>
        ← Back
      </button>
      <h1 id="viewer-title" className="path">
        {doc?.path ?? 'Document'}
      </h1>
      <Messages busy={action.busy} error={action.error} />
      {doc && doc.pages.length === 0 && <p>No text yet: this document’s status is {doc.ocrStatus}.</p>}
      {doc?.pages.map((p) => <PageView key={p.pageNo} documentId={doc.id} pageNo={p.pageNo} text={p.text} confidence={p.confidence} />)}
    </section>
  );
}

export function Documents(props: { onOpen: (id: string) => void }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const action = useAction();
  return (
    <section aria-labelledby="docs-title">
      <h1 id="docs-title">Documents</h1>
      <form
        role="search"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run('Searching', () => api.search({ query: q, limit: 100 }), (h) => void setHits(h));
        }}
      >
        <label htmlFor="search">Search the text of every document</label>
        <input id="search" type="search" value={q} onChange={(e) => setQ(e.target.value)} data-testid="search-input" />
        <button type="submit" disabled={!q.trim()}>
          Search
        </button>
      </form>
      <Messages busy={action.busy} error={action.error} />
      {hits && <p aria-live="polite" data-testid="search-count">{hits.length === 0 ? 'No document contains those words.' : plural(hits.length, 'document')}</p>}
      <ul className="hits">
        {hits?.map((h) => (
          <li key={h.documentId} data-testid="search-hit">
            <button type="button" className="link path" onClick={() => props.onOpen(h.documentId)}>
              {h.path}
            </button>
            <Snippet text={h.snippet} />
          </li>
        ))}
      </ul>
    </section>
  );
}
