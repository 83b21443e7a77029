// The watched-folder store methods are in the shared store contract (test/store-contract-watch.ts).
import { describe, expect, it } from 'vitest';
import { prefixRange } from './watch';

describe('prefixRange', () => {
  it('turns a folder into the half-open range of paths under it', () => {
    expect(prefixRange('/a', '/')).toEqual(['/a/', '/a0']);
    expect(prefixRange('/a/', '/')).toEqual(['/a/', '/a0']);
    expect(prefixRange('C:\\in', '\\')).toEqual(['C:\\in\\', 'C:\\in]']);
  });
});
