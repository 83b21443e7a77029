/** The Jobs list's filters and sort. */
import { ERROR_KINDS, JOB_STATUSES, type JobSort } from '../../../ipc/contract';
import { kindLabel, STATUS_LABELS } from './labels';

export interface JobFilters {
  status: string;
  kind: string;
  folder: string;
  pathSearch: string;
  sort: JobSort;
}

const SORTS: { value: JobSort; label: string }[] = [
  { value: 'created_desc', label: 'Newest first' },
  { value: 'created_asc', label: 'Oldest first' },
  { value: 'path_asc', label: 'Path A–Z' },
  { value: 'path_desc', label: 'Path Z–A' },
];

export function Filters(props: { f: JobFilters; set: (p: Partial<JobFilters>) => void }) {
  const { f, set } = props;
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter jobs">
      <label>
        Status
        <select value={f.status} onChange={(e) => set({ status: e.target.value })} data-testid="filter-status">
          <option value="">All</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Error kind
        <select value={f.kind} onChange={(e) => set({ kind: e.target.value })} data-testid="filter-kind">
          <option value="">Any</option>
          {ERROR_KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        File name or path contains
        <input type="search" value={f.pathSearch} onChange={(e) => set({ pathSearch: e.target.value })} data-testid="filter-path" />
      </label>
      <label className="grow">
        In folder
        <input value={f.folder} onChange={(e) => set({ folder: e.target.value })} placeholder="/path/to/folder" />
      </label>
      <label>
        Sort
        <select value={f.sort} onChange={(e) => set({ sort: e.target.value as JobSort })}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
