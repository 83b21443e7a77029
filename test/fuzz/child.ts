/**
 * The fuzz child: runs one target on one input per message and answers with the outcome. The
 * parent (fuzz.ts) sends the next input only after the answer, so it always knows which input
 * is running when the child stops answering.
 */
import { buildPdf } from './pdf-mutate';
import type { Target } from './targets';
import { runTarget } from './targets';

interface Request {
  id: number;
  target: Target;
  bytes: Uint8Array;
}

process.on('message', (m: Request) => {
  const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  void runTarget(m.target, bytes).then((outcome) => process.send?.({ id: m.id, outcome }));
});
process.on('disconnect', () => process.exit(0));
// Load pdfjs before the first input (seconds under tsx): a deadline is for the input, not the start-up.
await runTarget('pdf', buildPdf(['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[3 0 R]/Count 1>>', '<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>']));
process.send?.({ ready: true });
