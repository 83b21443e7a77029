/** One page: its image (fetched when it scrolls near the view) beside its text, with an honest label. */
import { useEffect, useRef, useState } from 'react';
import type { PageImage, PageResult } from '../../../ipc/contract';
import { api } from '../../api/client';
import { MarkedText } from './marks';

export function pageLabel(p: Pick<PageResult, 'source' | 'confidence' | 'text'>): string {
  if (p.source === 'text_layer') return 'text from the file’s own text layer';
  if (!p.text.trim()) return 'OCR found no text on this page';
  return p.confidence === null ? 'OCR' : `OCR, confidence ${Math.round(p.confidence)}%`;
}

/** Starts loading when the page is within a screen or so of the view (IntersectionObserver). */
function useNearView(ref: React.RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || near) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: '600px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [near]);
  return near;
}

export function PageView(props: { documentId: string; page: PageResult; pages: number; query: string }) {
  const { page } = props;
  const ref = useRef<HTMLElement>(null);
  const near = useNearView(ref);
  const [img, setImg] = useState<PageImage | null | undefined>(undefined);
  const [imgError, setImgError] = useState<string | null>(null);
  useEffect(() => {
    if (!near) return;
    void api.pageImage({ documentId: props.documentId, pageNo: page.pageNo }).then((r) => {
      setImg(r.ok ? r.value : null);
      setImgError(r.ok ? null : r.error.message);
    });
  }, [near, props.documentId, page.pageNo]);
  return (
    <article className="page" aria-labelledby={`page-${page.pageNo}`} ref={ref} data-testid="page">
      <div className="page-image">
        {img === undefined && <p className="muted placeholder">{near ? 'Loading the page image…' : 'The image loads when this page is in view.'}</p>}
        {img === null && <p className="muted">{imgError ?? 'No image preview for this page.'}</p>}
        {img && <img src={`data:${img.mime};base64,${img.base64}`} width={img.width} height={img.height} alt={`Page ${page.pageNo} of ${props.pages}, as scanned`} />}
      </div>
      <div className="page-text">
        <h2 id={`page-${page.pageNo}`} className="page-title">
          Page {page.pageNo} <small data-testid="page-label">({pageLabel(page)})</small>
        </h2>
        <pre data-testid="page-text">
          <MarkedText text={page.text} query={props.query} />
        </pre>
      </div>
    </article>
  );
}
