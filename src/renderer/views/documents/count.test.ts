import { describe, expect, it } from 'vitest';
import { countText } from './count';

describe('search counts are true', () => {
  it('says "more than" when the server had more than were shown, never a round false number', () => {
    expect(countText(0, 100, 0)).toBe('No document contains those words.');
    expect(countText(1, 100, 1)).toBe('1 document matches.');
    expect(countText(100, 100, 100)).toBe('100 documents match.');
    // 101 asked for, 101 came back: there are more than the 100 shown.
    expect(countText(100, 100, 101)).toBe('More than 100 documents match; the first 100 are shown.');
    expect(countText(200, 200, 200)).toBe('At least 200 documents match; the first 200 are shown. Add words to narrow the search.');
  });
});
