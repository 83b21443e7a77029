/**
 * End-of-batch notification in a browser (the desktop app notifies natively from its main
 * process). Permission is asked once, from a button the person presses; the answer is kept.
 */
import type { BatchView } from '../progress';
import { num, plural } from '../format';

const ASKED = 'quire.notify-asked';

/** 'unsupported' in the desktop app (it notifies by itself) and in browsers without the API. */
export function notifyState(): 'unsupported' | 'ask' | 'granted' | 'denied' | 'dismissed' {
  if (window.quire || typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'granted') return 'granted';
  if (Notification.permission === 'denied') return 'denied';
  return localStorage.getItem(ASKED) ? 'dismissed' : 'ask';
}

export async function askToNotify(): Promise<string> {
  localStorage.setItem(ASKED, '1');
  const answer = await Notification.requestPermission();
  return answer === 'granted' ? 'You will be notified when a batch is done.' : 'Notifications stay off.';
}

export function dismissNotifyOffer(): void {
  localStorage.setItem(ASKED, '1');
}

export function notifyBatchDone(b: BatchView): void {
  if (notifyState() !== 'granted') return;
  const body =
    b.failed > 0
      ? `${plural(b.completed, 'file')} read; ${plural(b.failed, 'file')} could not be read (see Failures).`
      : `${plural(b.completed, 'file')} read${b.cancelled ? `, ${num(b.cancelled)} cancelled` : ''}.`;
  try {
    new Notification(b.failed > 0 ? 'Quire finished, with failures' : 'Quire finished', { body, tag: 'quire-batch' });
  } catch {
    // Some browsers only allow notifications from a service worker; the title still says it.
  }
}
