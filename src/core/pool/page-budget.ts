/**
 * The OCR time limit as a budget per page: re-armed each time the worker reports that it started a
 * page, so a long document never times out for being long, while a page (or the opening of a file
 * before its first page) that hangs is stopped after `ms`.
 */
export class PageBudget {
  private timer: NodeJS.Timeout;
  private done = false;
  private pageStartedAt = Date.now();

  constructor(
    private ms: number,
    private readonly onSpent: () => void,
  ) {
    this.timer = setTimeout(onSpent, ms);
  }

  /** A new page started: its own full budget. */
  rearm(): void {
    if (this.done) return;
    clearTimeout(this.timer);
    this.pageStartedAt = Date.now();
    this.timer = setTimeout(this.onSpent, this.ms);
  }

  /**
   * The limit changed (ocr_timeout_seconds, set while this page is read): the page being read now
   * is held to the new limit, counted from its start, so a page already past it is stopped at once.
   */
  setLimit(ms: number): void {
    if (this.done || ms === this.ms) return;
    this.ms = ms;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onSpent, Math.max(0, this.pageStartedAt + ms - Date.now()));
  }

  clear(): void {
    this.done = true;
    clearTimeout(this.timer);
  }
}
