/**
 * When OCR may run at full speed: a line a person can type in `quire config set ocr_schedule` or
 * the Settings screen, e.g. `mon-fri 19:00-07:00; sat,sun all`.
 *
 * Rules are separated by `;`. A rule is days then hours: days are `daily` or names (mon..sun, or
 * monday..sunday) and ranges (`mon-fri`, `fri-mon` wraps) joined by commas; hours are `all` or
 * ranges `HH:MM-HH:MM` joined by commas. A rule without days means every day. A range that ends
 * before it starts runs past midnight into the next day (`fri 19:00-07:00` is Friday evening to
 * Saturday morning). `always` (the default, also an empty text) means no schedule.
 *
 * Times are the machine's local wall-clock time: a schedule means what it says after a DST change.
 */

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const FULL_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_MIN = 24 * 60;
const WEEK_MIN = 7 * DAY_MIN;

/** What a host does on battery (setting battery_mode). */
export type BatteryMode = 'pause' | 'one-worker' | 'full';
export const BATTERY_MODES: readonly BatteryMode[] = ['pause', 'one-worker', 'full'];
/** What a host does outside the schedule (setting outside_schedule). */
export type OutsideSchedule = 'limited' | 'pause';
export const OUTSIDE_SCHEDULE_MODES: readonly OutsideSchedule[] = ['limited', 'pause'];

export const SCHEDULE_ACCEPTS =
  'always, or rules separated by ; each made of days (daily, mon..sun, ranges like mon-fri, joined by commas) and hours (all, or HH:MM-HH:MM ranges joined by commas), e.g. "mon-fri 19:00-07:00; sat,sun all"';

export interface Schedule {
  /** The text as given (trimmed), for messages. */
  text: string;
  /** No restriction: full speed at any time. */
  always: boolean;
  /** Full-speed windows in minutes of the week from Monday 00:00, sorted, merged, not wrapping. */
  intervals: readonly (readonly [number, number])[];
}

function parseDay(word: string): number | string {
  const i = DAY_NAMES.indexOf(word as (typeof DAY_NAMES)[number]);
  if (i >= 0) return i;
  const j = FULL_NAMES.indexOf(word);
  if (j >= 0) return j;
  return `"${word}" is not a day (mon, tue, wed, thu, fri, sat, sun, or daily)`;
}

function parseDays(text: string): number[] | string {
  const days = new Set<number>();
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') return `"${text}" has an empty day between commas`;
    if (item === 'daily') {
      for (let d = 0; d < 7; d++) days.add(d);
      continue;
    }
    const [first, second, ...more] = item.split('-').map((s) => s.trim());
    if (first === undefined || more.length > 0) return `"${item}" is not a day or a range of days like mon-fri`;
    const from = parseDay(first);
    if (typeof from === 'string') return from;
    const to = second === undefined ? from : parseDay(second);
    if (typeof to === 'string') return to;
    // A range runs forward through the week and wraps: fri-mon is fri, sat, sun, mon.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days];
}

function parseClock(t: string, isEnd: boolean): number | string {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(t);
  const bad = `"${t}" is not a time of day (HH:MM, from 00:00 to ${isEnd ? '24:00' : '23:59'})`;
  if (!m) return bad;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !isEnd))) return bad;
  return h * 60 + min;
}

/** Hours as [start, end) minutes of the day; an end at or before the start wraps past midnight. */
function parseHours(text: string): [number, number][] | string {
  if (text === 'all' || text === 'all day') return [[0, DAY_MIN]];
  const out: [number, number][] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    const [from, to, ...more] = item.split('-').map((s) => s.trim());
    if (from === undefined || to === undefined || more.length > 0) return `"${item}" is not a range of hours like 19:00-07:00 (or all)`;
    const start = parseClock(from, false);
    if (typeof start === 'string') return start;
    const end = parseClock(to, true);
    if (typeof end === 'string') return end;
    if (start === end) return `"${item}" starts and ends at the same time; for the whole day write all`;
    out.push([start, end]);
  }
  return out;
}

function merge(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The schedule, or a sentence saying what is wrong with the text. */
export function parseSchedule(raw: string): Schedule | string {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (lower === '' || lower === 'always') return { text: text || 'always', always: true, intervals: [] };
  const intervals: [number, number][] = [];
  for (const part of lower.split(/[;\n]/)) {
    const rule = part.trim().replace(/\s+/g, ' ');
    if (rule === '') continue;
    if (rule === 'always') return `"always" cannot be combined with other rules`;
    // Days come first; the hours start at the first word that is "all" or begins with a digit.
    const m = /^(.*?)\s*\b(all(?: day)?|\d.*)$/.exec(rule);
    if (!m) return `"${rule}" needs hours after the days, e.g. "${rule} all" or "${rule} 09:00-17:00"`;
    const dayText = (m[1] ?? '').trim();
    const days = dayText === '' ? [0, 1, 2, 3, 4, 5, 6] : parseDays(dayText);
    if (typeof days === 'string') return days;
    const hours = parseHours((m[2] ?? '').trim());
    if (typeof hours === 'string') return hours;
    for (const d of days) {
      for (const [s, e] of hours) {
        const start = d * DAY_MIN + s;
        const end = d * DAY_MIN + (e > s ? e : DAY_MIN + e);
        // Sunday night into Monday morning wraps to the start of the week.
        if (end > WEEK_MIN) intervals.push([start, WEEK_MIN], [0, end - WEEK_MIN]);
        else intervals.push([start, end]);
      }
    }
  }
  if (intervals.length === 0) return { text: 'always', always: true, intervals: [] };
  const merged = merge(intervals);
  const whole = merged[0];
  const always = merged.length === 1 && whole !== undefined && whole[0] === 0 && whole[1] === WEEK_MIN;
  return { text, always, intervals: always ? [] : merged };
}

/** Minutes since Monday 00:00, local time. */
function minuteOfWeek(ms: number): number {
  const d = new Date(ms);
  return ((d.getDay() + 6) % 7) * DAY_MIN + d.getHours() * 60 + d.getMinutes();
}

export function inSchedule(s: Schedule, ms: number): boolean {
  if (s.always) return true;
  const mow = minuteOfWeek(ms);
  return s.intervals.some(([a, b]) => mow >= a && mow < b);
}

/** When the next full-speed window begins (epoch ms, at a whole minute); null when always. */
export function nextScheduleStart(s: Schedule, ms: number): number | null {
  if (s.always || s.intervals.length === 0) return null;
  const wrapsIn = s.intervals.some(([, b]) => b === WEEK_MIN);
  // A window starting Monday 00:00 that continues one ending Sunday 24:00 is not a start.
  const starts = s.intervals.map(([a]) => a).filter((a) => !(a === 0 && wrapsIn));
  if (starts.length === 0) return null;
  const mow = minuteOfWeek(ms);
  const ahead = Math.min(...starts.map((a) => (a - mow + WEEK_MIN) % WEEK_MIN || WEEK_MIN));
  const d = new Date(ms);
  d.setSeconds(0, 0);
  d.setMinutes(d.getMinutes() + ahead); // local wall-clock arithmetic: a DST change moves it with the clock
  return d.getTime();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "19:00" today, "tomorrow 07:00", "Sat 00:00", or "next Mon 19:00" a week on. */
export function describeWhen(target: number, now: number): string {
  const t = new Date(target);
  const clock = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const day = (ms: number) => {
    const d = new Date(ms);
    d.setHours(12, 0, 0, 0); // noon: whole days apart whatever DST did overnight
    return Math.round(d.getTime() / 86_400_000);
  };
  const days = day(target) - day(now);
  if (days === 0) return clock;
  if (days === 1) return `tomorrow ${clock}`;
  const name = DAY_NAMES[(t.getDay() + 6) % 7] ?? '';
  const label = name.charAt(0).toUpperCase() + name.slice(1);
  return days >= 7 ? `next ${label} ${clock}` : `${label} ${clock}`;
}
