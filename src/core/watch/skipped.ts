/** What a watch host could not do for each folder (outputs not written, files not queued), for the UI. */

/** Things skipped for one folder since the host started: how many, and the latest (at most 20). */
export interface SkippedList {
  count: number;
  recent: { path: string; reason: string }[];
}

const KEEP = 20;

/** Per-folder lists: record one, read a copy. */
export function skippedLists() {
  const lists = new Map<string, SkippedList>();
  return {
    record(folder: string, item: { path: string; reason: string }): void {
      const rec = lists.get(folder) ?? { count: 0, recent: [] };
      rec.count++;
      rec.recent.push(item);
      rec.recent.splice(0, rec.recent.length - KEEP);
      lists.set(folder, rec);
    },
    get(folder: string): SkippedList | undefined {
      const l = lists.get(folder);
      return l ? { count: l.count, recent: [...l.recent] } : undefined;
    },
  };
}
