/** The tab's title carries the state a person checks from another tab: progress, paused, disconnected. */
import { useEffect } from 'react';
import type { ConnectionState } from '../api/connection';
import { num } from '../format';
import type { QueueState } from '../state/queue';

export function titleText(screen: string, q: QueueState, conn: ConnectionState): string {
  const parts: string[] = [];
  if (conn.status !== 'connected') parts.push('Disconnected');
  else if (q.stats?.paused) parts.push('Paused');
  if (q.batch && q.batch.left > 0 && q.batch.total > 0) {
    parts.push(`${Math.floor((q.batch.done / q.batch.total) * 100)}% (${num(q.batch.left)} left)`);
  } else if (q.batch && q.batch.done > 0 && conn.status === 'connected') parts.push('Done');
  parts.push(screen, 'Quire');
  return parts.join(' · ');
}

export function useTitle(text: string): void {
  useEffect(() => {
    document.title = text;
  }, [text]);
}
