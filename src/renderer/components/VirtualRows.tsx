/**
 * A virtualised list of fixed-height rows: only the rows in view (plus a margin) are in the DOM,
 * so a million loaded rows scroll like fifty. `onNearEnd` asks for the next server page.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';

export function VirtualRows<T>(props: {
  rows: readonly T[];
  rowHeight: number;
  height: number;
  render: (row: T, index: number) => ReactNode;
  onNearEnd?: () => void;
  label: string;
  header: ReactNode;
  /** Changing this (a new filter or sort) scrolls back to the top. */
  resetKey?: string;
}) {
  const { rows, rowHeight, height } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const count = Math.ceil(height / rowHeight) + 20;
  const last = Math.min(rows.length, first + count);
  const nearEnd = props.onNearEnd;
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setTop(0);
  }, [props.resetKey]);
  useEffect(() => {
    if (nearEnd && last >= rows.length - 50) nearEnd();
  }, [last, rows.length, nearEnd]);
  return (
    <div className="vtable" role="table" aria-label={props.label} aria-rowcount={rows.length + 1}>
      {props.header}
      <div
        ref={ref}
        className="vscroll"
        tabIndex={0}
        data-testid="vscroll"
        style={{ height }}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      >
        <div className="vspacer" style={{ height: rows.length * rowHeight }}>
          {rows.slice(first, last).map((r, i) => (
            <div key={first + i} className="vrow" role="row" aria-rowindex={first + i + 2} style={{ top: (first + i) * rowHeight, height: rowHeight }}>
              {props.render(r, first + i)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
