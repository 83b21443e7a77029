/**
 * The OCR time limit as a budget per page: re-armed each time the worker reports that it started a
 * page, so a long document never times out for being long, while a page (or the opening of a file
 * before its first page) that hangs is stopped after `ms`.
 */
export class PageBudget {
  private timer: NodeJS.Timeout;
  private done = false;

  constructor(
    private readonly ms: number,
    private readonly onSpent: () => void,
  ) {
    this.timer = setTimeout(onSpent, ms);
  }

  /** A new page started: its own full budget. */
  rearm(): void {
    if (this.done) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onSpent, this.ms);
  }

  clear(): void {
    this.done = true;
    clearTimeout(this.timer);
  }
}
