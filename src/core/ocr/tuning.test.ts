import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNING, resolveTuning } from './tuning';

describe('engine tuning', () => {
  it('fills what is not given from the defaults, merging tesseract parameters', () => {
    const t = resolveTuning({ params: { tessedit_do_invert: '0' }, orientationCheckBelow: 70 });
    expect(t.params).toEqual({ ...DEFAULT_TUNING.params, tessedit_do_invert: '0' });
    expect(t.orientationCheckBelow).toBe(70);
    expect(t.skipBlankPages).toBe(DEFAULT_TUNING.skipBlankPages);
    expect(resolveTuning()).toEqual(DEFAULT_TUNING);
  });
});
