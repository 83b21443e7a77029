/** One document: what is known about it, then each page's text beside its image. */
import { useEffect, useState } from 'react';
import type { DocumentView } from '../../ipc/contract';
import { api, useAction } from '../api/client';
import { languagesInWords, useInstalledLanguages } from '../components/LanguagePicker';
import { Messages } from '../components/Messages';
import { baseName, bytes, dirName, num, time } from '../format';
import { PageView } from './documents/PageView';
import { STATUS_LABELS, statusText } from './jobs/labels';

function Meta(props: { doc: DocumentView }) {
  const d = props.doc;
  const installed = useInstalledLanguages();
  const ocrPages = d.pages.filter((p) => p.source === 'ocr').length;
  const layerPages = d.pages.length - ocrPages;
  return (
    <dl className="summary meta" data-testid="doc-meta">
      <dt>Folder</dt>
      <dd className="path">{dirName(d.path) || '/'}</dd>
      <dt>Status</dt>
      <dd>
        {statusText(d.ocrStatus, d.ocrErrorKind)}
        {d.ocrError ? `: ${d.ocrError}` : ''}
      </dd>
      <dt>Size</dt>
      <dd>{bytes(d.size)}</dd>
      <dt>Type</dt>
      <dd>{d.kind}</dd>
      <dt>Pages</dt>
      <dd>
        {d.pageCount === null ? 'not known yet' : num(d.pageCount)}
        {d.pages.length > 0 && ` (${[ocrPages && `${num(ocrPages)} read by OCR`, layerPages && `${num(layerPages)} from the text layer`].filter(Boolean).join(', ')})`}
      </dd>
      <dt>Confidence</dt>
      <dd>{d.confidence === null ? (ocrPages ? 'not recorded' : 'not applicable (no page was OCR’d)') : `${Math.round(d.confidence)}% (mean over OCR’d pages)`}</dd>
      {d.languages && (
        <>
          <dt>Languages</dt>
          <dd data-testid="doc-languages">{languagesInWords(d.languages, installed)}</dd>
        </>
      )}
      {d.ocrCompletedAt !== null && (
        <>
          <dt>Read</dt>
          <dd>{time(d.ocrCompletedAt)}</dd>
        </>
      )}
      {d.sourceMissing && (
        <>
          <dt>Source file</dt>
          <dd className="error">moved or deleted; the text is kept</dd>
        </>
      )}
    </dl>
  );
}

export function Viewer(props: { id: string; query: string; onClose: () => void }) {
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
      <h1 id="viewer-title" data-testid="viewer-title">
        {doc ? baseName(doc.path) : action.error ? 'Document not found' : 'Document'}
      </h1>
      <Messages busy={action.busy} error={action.error} />
      {doc && <Meta doc={doc} />}
      {doc && (
        <button
          type="button"
          className="small"
          data-testid="remove-document"
          disabled={!!action.busy}
          title="Removes this document, its jobs and its text from Quire; the file itself is not touched, and adding it again reads it again."
          onClick={() => void action.run(`Removing ${baseName(doc.path)}`, () => api.removeDocuments({ paths: [doc.path] }), () => (props.onClose(), `Removed ${doc.path} from Quire.`))}
        >
          Remove from Quire
        </button>
      )}
      {doc && doc.pages.length === 0 && <p>No text yet: this document’s status is {STATUS_LABELS[doc.ocrStatus].toLowerCase()}.</p>}
      {doc?.pages.map((p) => <PageView key={p.pageNo} documentId={doc.id} page={p} pages={doc.pages.length} query={props.query} />)}
    </section>
  );
}
