import { describe, expect, it } from 'vitest';
import type { Schedule } from './schedule';
import { describeWhen, inSchedule, nextScheduleStart, parseSchedule } from './schedule';

// Local wall-clock times: Monday 12 January 2026 is day 12.
const at = (day: number, h: number, m = 0) => new Date(2026, 0, day, h, m).getTime();
const MON = 12;
const FRI = 16;
const SAT = 17;
const SUN = 18;

function parse(text: string): Schedule {
  const s = parseSchedule(text);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

describe('parseSchedule', () => {
  it('reads "always" and an empty text as no schedule', () => {
    for (const t of ['always', '', '  ALWAYS ', ' ; ']) {
      const s = parse(t);
      expect(s.always).toBe(true);
      expect(inSchedule(s, at(MON, 11))).toBe(true);
      expect(nextScheduleStart(s, at(MON, 11))).toBeNull();
    }
  });

  it('weekday evenings run past midnight; weekends all day', () => {
    const s = parse('mon-fri 19:00-07:00; sat,sun all');
    expect(inSchedule(s, at(MON, 18, 59))).toBe(false);
    expect(inSchedule(s, at(MON, 19))).toBe(true);
    expect(inSchedule(s, at(MON + 1, 6, 59))).toBe(true); // Monday's window, Tuesday morning
    expect(inSchedule(s, at(MON + 1, 7))).toBe(false);
    expect(inSchedule(s, at(MON, 3))).toBe(false); // Sunday's "all" ends at 24:00; Monday's window starts at 19:00
    expect(inSchedule(s, at(FRI, 12))).toBe(false);
    expect(inSchedule(s, at(SAT, 12))).toBe(true);
    expect(inSchedule(s, at(SUN, 23, 59))).toBe(true);
  });

  it('does not spill a window into a day it does not cover', () => {
    const s = parse('mon-fri 19:00-07:00');
    expect(inSchedule(s, at(MON, 3))).toBe(false); // Sunday night is not listed
    expect(inSchedule(s, at(SAT, 6, 30))).toBe(true); // Friday's window ends Saturday 07:00
    expect(inSchedule(s, at(SAT, 7, 0))).toBe(false);
    expect(inSchedule(s, at(SUN, 20))).toBe(false);
  });

  it('wraps Sunday night into Monday morning and day ranges across the week', () => {
    const s = parse('sun 22:00-06:00');
    expect(inSchedule(s, at(SUN, 23))).toBe(true);
    expect(inSchedule(s, at(MON, 5, 59))).toBe(true);
    expect(inSchedule(s, at(MON, 6))).toBe(false);
    const w = parse('fri-mon all');
    expect([MON, MON + 1, MON + 2, MON + 3, FRI, SAT, SUN].map((d) => inSchedule(w, at(d, 12)))).toEqual([true, false, false, false, true, true, true]);
  });

  it('accepts full day names, several ranges, no days (every day), daily, hours without minutes and 24:00', () => {
    const s = parse('Monday 9-12, 13:30-17; daily 22:00-24:00');
    expect(inSchedule(s, at(MON, 9))).toBe(true);
    expect(inSchedule(s, at(MON, 12, 30))).toBe(false);
    expect(inSchedule(s, at(MON, 16, 59))).toBe(true);
    expect(inSchedule(s, at(MON + 2, 10))).toBe(false);
    expect(inSchedule(s, at(MON + 2, 23, 59))).toBe(true);
    const nightly = parse('01:00-05:00');
    expect(inSchedule(nightly, at(SAT, 2))).toBe(true);
    expect(inSchedule(nightly, at(SAT, 5))).toBe(false);
  });

  it('a schedule covering the whole week is "always"', () => {
    expect(parse('daily all').always).toBe(true);
    expect(parse('mon-sun 00:00-24:00').always).toBe(true);
    expect(parse('mon-fri all; sat-sun all').always).toBe(true);
  });

  it('refuses mistakes with a sentence naming the part that is wrong', () => {
    expect(parseSchedule('mon-fry 19:00-07:00')).toBe('"fry" is not a day (mon, tue, wed, thu, fri, sat, sun, or daily)');
    expect(parseSchedule('mon 25:00-07:00')).toBe('"25:00" is not a time of day (HH:MM, from 00:00 to 23:59)');
    expect(parseSchedule('mon 19:00-07:60')).toBe('"07:60" is not a time of day (HH:MM, from 00:00 to 24:00)');
    expect(parseSchedule('mon 24:00-07:00')).toMatch(/"24:00" is not a time of day/);
    expect(parseSchedule('mon 19:00-19:00')).toBe('"19:00-19:00" starts and ends at the same time; for the whole day write all');
    expect(parseSchedule('sat,sun')).toBe('"sat,sun" needs hours after the days, e.g. "sat,sun all" or "sat,sun 09:00-17:00"');
    expect(parseSchedule('mon 19:00')).toBe('"19:00" is not a range of hours like 19:00-07:00 (or all)');
    expect(parseSchedule('mon,,tue all')).toBe('"mon,,tue" has an empty day between commas');
    expect(parseSchedule('mon-tue-wed all')).toBe('"mon-tue-wed" is not a day or a range of days like mon-fri');
    expect(parseSchedule('always; sat all')).toBe('"always" cannot be combined with other rules');
  });
});

describe('nextScheduleStart and describeWhen', () => {
  it('names the next full-speed window: today, tomorrow, a weekday, or next week', () => {
    const s = parse('mon-fri 19:00-07:00; sat,sun all');
    const noon = at(MON, 12);
    expect(nextScheduleStart(s, noon)).toBe(at(MON, 19));
    expect(describeWhen(at(MON, 19), noon)).toBe('19:00');

    const morning = parse('mon-fri 06:30-08:00');
    expect(nextScheduleStart(morning, at(MON, 9, 15))).toBe(at(MON + 1, 6, 30));
    expect(describeWhen(at(MON + 1, 6, 30), at(MON, 9, 15))).toBe('tomorrow 06:30');
    expect(nextScheduleStart(morning, at(FRI, 9))).toBe(at(MON + 7, 6, 30));
    expect(describeWhen(at(MON + 7, 6, 30), at(FRI, 9))).toBe('Mon 06:30');

    const weekly = parse('mon 19:00-20:00');
    expect(nextScheduleStart(weekly, at(MON, 21))).toBe(at(MON + 7, 19));
    expect(describeWhen(at(MON + 7, 19), at(MON, 21))).toBe('next Mon 19:00');
  });

  it('a window continuing from Sunday night is not a start; the Sunday start is', () => {
    const s = parse('sun 22:00-06:00');
    expect(nextScheduleStart(s, at(MON, 7))).toBe(at(SUN, 22));
  });

  it('seconds are dropped: the start is on the minute', () => {
    const s = parse('mon 19:00-20:00');
    expect(nextScheduleStart(s, at(MON, 18, 30) + 42_123)).toBe(at(MON, 19));
  });
});
