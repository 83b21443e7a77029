/**
 * Keeps the worker count in line with the machine: reads the PowerSource every few seconds (and at
 * once when the source announces a change), decides with the policy, and calls `apply` once per
 * change of the decision (the host passes the pool's resize and its event emitter). The pool
 * shrinks by letting running jobs finish, so a change never kills work.
 *
 * Sleep: on resume (announced by the source, or noticed as a gap in the clock between two polls,
 * for sources that announce nothing) it calls `onResume` once, so the host can renew its leases at
 * once: a job whose lease lapsed while the machine slept is taken back by this host rather than
 * counted as a crash. Nothing here throws into a timer: failures are logged and the last decision
 * stays.
 */
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { PowerDecision, PowerSettings } from './policy';
import { decide } from './policy';
import type { PowerSnapshot, PowerSource } from './types';

export interface PowerStatus {
  decision: PowerDecision;
  snapshot: PowerSnapshot;
  /** "Run at full speed now" is on (until the queue next goes idle). */
  override: boolean;
  /** When this was decided (epoch ms). */
  at: number;
}

export interface ResumeInfo {
  /** 'os': the source announced it; 'clock-gap': a poll came far later than scheduled. */
  via: 'os' | 'clock-gap';
  /** How long the machine was away, when known. */
  sleptMs: number | null;
}

export interface PowerControllerOptions {
  source: PowerSource;
  /** Read on every check, so `quire config set` and the Settings screen take effect within a poll. */
  settings: () => Promise<{ power: PowerSettings; fullWorkers: number }> | { power: PowerSettings; fullWorkers: number };
  cores: number;
  /** Called once per change of the worker count or the reason (and on the first check). */
  apply: (workersAllowed: number, throttleReason: string | null) => void | Promise<void>;
  /** Called on every change of the status the UI shows (override on/off included). */
  onStatus?: (status: PowerStatus) => void;
  onResume?: (info: ResumeInfo) => void | Promise<void>;
  clock?: Clock;
  /** Default 5 s: a person who starts typing gets the cores back within that. */
  pollMs?: number;
  /** A poll this much later than scheduled means the machine slept (default 30 s). */
  sleepGapMs?: number;
  logger?: Logger;
}

export interface PowerController {
  /** First check, then polls until stop(). */
  start(): Promise<PowerStatus | null>;
  stop(): void;
  /** Read and decide now. */
  check(): Promise<PowerStatus | null>;
  /** The last decision, or null before the first check. */
  status(): PowerStatus | null;
  /** "Run at full speed now": lifts every throttle until the queue next goes idle. */
  runFullSpeedNow(): Promise<PowerStatus | null>;
  /** Ends the override early. */
  endOverride(): Promise<PowerStatus | null>;
  /** The queue went idle (nothing pending or running): the current batch is over, so is the override. */
  queueIdle(): Promise<void>;
}

const sameDecision = (a: PowerDecision, b: PowerDecision) =>
  a.workersAllowed === b.workersAllowed && a.throttleReason === b.throttleReason;

export function createPowerController(o: PowerControllerOptions): PowerController {
  const clock = o.clock ?? systemClock;
  const pollMs = o.pollMs ?? 5000;
  const gapMs = o.sleepGapMs ?? 30_000;
  const log = (o.logger ?? silentLogger).scope('power');

  let override = false;
  let last: PowerStatus | null = null;
  let applied: PowerDecision | null = null;
  let chain: Promise<PowerStatus | null> = Promise.resolve(null);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let lastTickAt: number | null = null;
  let suspendedAt: number | null = null;
  let lastResumeAt = -Infinity;
  let unsubscribe: (() => void) | undefined;

  let lastError: string | null = null;

  const once = async (): Promise<PowerStatus | null> => {
    try {
      const [snapshot, s] = await Promise.all([o.source.read(), o.settings()]);
      const now = clock.now();
      const decision = decide({ settings: s.power, snapshot, now, cores: o.cores, fullWorkers: s.fullWorkers, override });
      if (!applied || !sameDecision(applied, decision)) {
        log.info('workers allowed', { workersAllowed: decision.workersAllowed, reason: decision.throttleReason });
        await o.apply(decision.workersAllowed, decision.throttleReason);
        // Only once it took: a failed apply is tried again at the next poll.
        applied = decision;
      }
      const changed = !last || !sameDecision(last.decision, decision) || last.decision.overridden !== decision.overridden || last.override !== override;
      last = { decision, snapshot, override, at: now };
      if (lastError !== null) log.info('the power policy applies again');
      lastError = null;
      if (changed) {
        try {
          o.onStatus?.(last);
        } catch (err) {
          log.warn('a power status listener failed', { error: String(err) });
        }
      }
    } catch (err) {
      // Said once per distinct failure, not every poll while the database is away.
      if (String(err) !== lastError) log.warn('could not apply the power policy; keeping the last decision', { error: String(err) });
      lastError = String(err);
    }
    return last;
  };

  // Checks never overlap: each waits for the one before it.
  const check = () => (chain = chain.then(once));

  const resumed = async (info: ResumeInfo) => {
    const now = clock.now();
    // An OS resume and the clock gap it leaves arrive together: act on the first only.
    if (now - lastResumeAt < gapMs) return;
    lastResumeAt = now;
    log.info('resumed from sleep', { via: info.via, sleptMs: info.sleptMs });
    try {
      await o.onResume?.(info);
    } catch (err) {
      log.warn('the resume hook failed', { error: String(err) });
    }
  };

  const tick = async () => {
    const now = clock.now();
    if (lastTickAt !== null && now - lastTickAt > pollMs + gapMs) {
      await resumed({ via: 'clock-gap', sleptMs: now - lastTickAt - pollMs });
    }
    lastTickAt = now;
    await check();
    if (running) {
      timer = setTimeout(() => void tick(), pollMs);
      timer.unref();
    }
  };

  const onEvent = (event: 'suspend' | 'resume' | 'change') => {
    if (event === 'suspend') {
      suspendedAt = clock.now();
      log.info('the machine is going to sleep');
      return;
    }
    if (event === 'resume') {
      const sleptMs = suspendedAt === null ? null : clock.now() - suspendedAt;
      suspendedAt = null;
      void resumed({ via: 'os', sleptMs }).then(check);
      return;
    }
    void check();
  };

  return {
    async start() {
      if (running) return last;
      running = true;
      try {
        unsubscribe = o.source.subscribe?.(onEvent);
      } catch (err) {
        log.warn('could not listen for power events; polling only', { error: String(err) });
      }
      await tick();
      return last;
    },
    stop() {
      running = false;
      lastTickAt = null;
      clearTimeout(timer);
      unsubscribe?.();
      unsubscribe = undefined;
    },
    check,
    status: () => last,
    async runFullSpeedNow() {
      override = true;
      log.info('full speed on request until the queue is idle');
      return check();
    },
    async endOverride() {
      override = false;
      return check();
    },
    async queueIdle() {
      if (!override) return;
      override = false;
      log.info('the queue is idle: the full-speed request ends');
      await check();
    },
  };
}
