/**
 * The seam between what the machine is doing (power, idle, lock, sleep) and how many OCR workers
 * Quire runs. A PowerSource reads the machine; the policy (policy.ts) turns a reading and the
 * settings into a worker count; the controller (controller.ts) polls and applies it.
 *
 * Sources: Linux sysfs + logind for headless hosts (linux.ts), Electron's powerMonitor in the app
 * (src/main/power.ts), and "not available" elsewhere (index.ts). A signal a source cannot read is
 * null with a sentence saying why, so the UI says "idle time is not available here" instead of
 * Quire guessing.
 */

export type PowerSignal = 'onBattery' | 'batteryPercent' | 'idleSeconds' | 'locked';

export interface PowerSnapshot {
  /** true: running on battery; false: on AC, or the machine has no battery; null: unknown. */
  onBattery: boolean | null;
  /** Charge of the system batteries, 0-100 (whole numbers); null when there is none or it is unknown. */
  batteryPercent: number | null;
  /** Seconds since the last keyboard or mouse input; null when the OS does not say. */
  idleSeconds: number | null;
  /** true: the screen is locked (nobody is using the machine); null when unknown. */
  locked: boolean | null;
  /** For each null signal, why it is not available, as a sentence a person reads. */
  unavailable: Partial<Record<PowerSignal, string>>;
}

/** What a source may announce between readings. */
export type PowerEvent = 'suspend' | 'resume' | 'change';

export interface PowerSource {
  /** Reads the signals now. Never rejects: a signal it cannot read is null with its reason. */
  read(): Promise<PowerSnapshot>;
  /**
   * Suspend, resume and changes the OS announces (AC plugged, screen locked), where the source
   * knows them; a source without events omits this and the controller detects sleep by clock gaps.
   * Returns the way to unsubscribe.
   */
  subscribe?(listener: (event: PowerEvent) => void): () => void;
}

/** A reading with nothing known (no source on this platform). */
export function unknownSnapshot(reason: string): PowerSnapshot {
  return {
    onBattery: null,
    batteryPercent: null,
    idleSeconds: null,
    locked: null,
    unavailable: { onBattery: reason, batteryPercent: reason, idleSeconds: reason, locked: reason },
  };
}
