/**
 * Requests a host sends besides jobs: a page image for the viewer, a searchable PDF for export or
 * a watched folder's outputs. They decode a user's file, so they run here, in a worker process
 * that the host can kill; the host gets bytes back, never a decoder's crash.
 */
import type { PageImageValue, WorkerRequest } from '../core/pool/protocol';
import { readInput } from '../core/ocr/fs-errors';

export async function serveRequest(req: WorkerRequest): Promise<PageImageValue | Uint8Array | null> {
  const bytes = await readInput(req.path);
  switch (req.kind) {
    case 'page-image': {
      const { renderPageImage } = await import('../core/ocr/page-image');
      return renderPageImage(bytes, req.pageNo);
    }
    case 'searchable-pdf': {
      const { createSearchablePdf } = await import('../core/ocr/searchable-pdf/index');
      return createSearchablePdf(bytes, req.engineOptions);
    }
  }
}
