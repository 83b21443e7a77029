/** The queue at a glance: states nobody may miss, the work in hand with its time left, throughput, workers, the power policy's limit, concurrency. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MinuteCount, WorkersView } from '../../ipc/contract';
import { api } from '../api/client';
import { useConnection } from '../api/connection';
import { Messages } from '../components/Messages';
import { ThroughputChart } from '../components/ThroughputChart';
import { useQueue } from '../state/queue';
import { BatchProgress } from './dashboard/BatchProgress';
import { Concurrency } from './dashboard/Concurrency';
import { Power } from './dashboard/Power';
import { StatCards } from './dashboard/StatCards';
import { Workers } from './dashboard/Workers';

export function Dashboard() {
  const q = useQueue();
  const conn = useConnection();
  const connected = conn.status === 'connected';
  const [chart, setChart] = useState<MinuteCount[]>([]);
  const [workers, setWorkers] = useState<WorkersView | null>(null);

  const loadWorkers = useCallback(async () => {
    const w = await api.workers();
    if (w.ok) setWorkers(w.value);
  }, []);
  const loadChart = useCallback(async () => {
    const t = await api.throughput({ minutes: 60 });
    if (t.ok) setChart(t.value);
  }, []);

  useEffect(() => {
    if (!connected) return;
    void loadWorkers();
    void loadChart();
    // No event says a worker started, stopped or was resized: look every few seconds. The chart's
    // window slides with the clock.
    const w = setInterval(() => void loadWorkers(), 3000);
    const c = setInterval(() => void loadChart(), 60_000);
    return () => (clearInterval(w), clearInterval(c));
  }, [connected, conn.epoch]);

  // A finished file changes the chart: redraw at most every 5 s.
  const finished = q.stats ? q.stats.completed + q.stats.failed : 0;
  const lastChart = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, lastChart.current + 5000 - Date.now());
    const t = setTimeout(() => ((lastChart.current = Date.now()), void loadChart(), void loadWorkers()), wait);
    return () => clearTimeout(t);
  }, [finished]);

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <Messages error={q.error} />
      {q.stats && <StatCards stats={q.stats} stale={!connected} />}
      <BatchProgress q={q} connected={connected} />
      <h2>Throughput</h2>
      <ThroughputChart data={chart} nowMinute={Math.floor(Date.now() / 60_000)} minutes={60} />
      <Workers workers={workers} left={q.batch?.left ?? 0} paused={!!q.stats?.paused} />
      {q.stats && <Power stats={q.stats} />}
      <Concurrency onApplied={() => void loadWorkers()} />
    </section>
  );
}
