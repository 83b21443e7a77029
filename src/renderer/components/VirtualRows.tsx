/**
 * A virtualised table of fixed-height rows: only the rows in view (plus a margin) are in the DOM,
 * so a million loaded rows scroll like fifty. `onNearEnd` asks for the next server page.
 *
 * Rows are keyed by slot (index modulo the window size), so a row scrolled out hands its DOM
 * nodes to the row scrolled in instead of being unmounted and rebuilt. While the list jumps by
 * more than a screen per scroll event (a dragged scrollbar, a fling), rows are drawn with
 * `renderLight` (no buttons, one line), and in full once scrolling rests for SETTLE_MS: at
 * 1,000,000 jobs layout of full rows was most of a frame (profiled in bench:ui's browser).
 */
import { memo, type ReactNode, useEffect, useRef, useState } from 'react';

const SETTLE_MS = 150;

export function VirtualRows<T>(props: {
  rows: readonly T[];
  rowHeight: number;
  height: number;
  render: (row: T, index: number) => ReactNode;
  /** A cheap stand-in drawn while the list moves faster than a screen per event. */
  renderLight?: (row: T, index: number) => ReactNode;
  /**
   * What else a row's drawing depends on (a live patch): a row is redrawn when its row object or
   * this value changes, and only then (a patch to one row must not redraw the screenful).
   */
  extra?: (row: T) => unknown;
  onNearEnd?: () => void;
  /** Ask for more this many rows before the end (a page ahead keeps a fast scroll from hitting the end). */
  prefetch?: number;
  label: string;
  header: ReactNode;
  /** Changing this (a new filter or sort) scrolls back to the top. */
  resetKey?: string;
  className?: string;
}) {
  const { rows, rowHeight, height } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [fast, setFast] = useState(false);
  const lastTop = useRef(0);
  const settle = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(settle.current), []);
  const onScroll = (y: number) => {
    if (Math.abs(y - lastTop.current) > height && props.renderLight) setFast(true);
    lastTop.current = y;
    setTop(y);
    clearTimeout(settle.current);
    settle.current = setTimeout(() => setFast(false), SETTLE_MS);
  };
  const overscan = 4;
  const count = Math.ceil(height / rowHeight) + 2 * overscan;
  const first = Math.max(0, Math.min(Math.floor(top / rowHeight) - overscan, rows.length - count));
  const last = Math.min(rows.length, first + count);
  const nearEnd = props.onNearEnd;
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setTop(0);
  }, [props.resetKey]);
  useEffect(() => {
    if (nearEnd && last >= rows.length - (props.prefetch ?? 50)) nearEnd();
  }, [last, rows.length, nearEnd, props.prefetch]);
  const slots: ReactNode[] = [];
  // Flying past, only the rows in view are drawn (the margin is for smooth slow scrolling).
  const from = fast ? Math.max(first, Math.floor(top / rowHeight)) : first;
  const to = fast ? Math.min(last, Math.ceil((top + height) / rowHeight)) : last;
  for (let i = from; i < to; i++) {
    const render = (fast && props.renderLight) || props.render;
    slots.push(<Slot key={i % count} index={i} top={i * rowHeight} height={rowHeight} row={rows[i]} extra={props.extra?.(rows[i]!)} render={render as (r: unknown, i: number) => ReactNode} />);
  }
  return (
    <div className={`vtable ${props.className ?? ''}`} role="table" aria-label={props.label} aria-rowcount={rows.length + 1}>
      <div role="rowgroup" className="vhead-group">
        {props.header}
      </div>
      <div
        ref={ref}
        role="rowgroup"
        aria-label={`${props.label}: scroll with the arrow keys`}
        className="vscroll"
        tabIndex={0}
        data-testid="vscroll"
        style={{ height }}
        onScroll={(e) => onScroll(e.currentTarget.scrollTop)}
      >
        <div className="vspacer" style={{ height: rows.length * rowHeight }}>
          {slots}
        </div>
      </div>
    </div>
  );
}

const Slot = memo(function Slot(props: { index: number; top: number; height: number; row: unknown; extra: unknown; render: (r: unknown, i: number) => ReactNode }) {
  return (
    <div className="vrow" role="row" aria-rowindex={props.index + 2} style={{ transform: `translateY(${props.top}px)`, height: props.height }}>
      {props.render(props.row, props.index)}
    </div>
  );
});
