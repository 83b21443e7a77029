// The listings' store behaviour is in the shared store contract (test/store-contract-listings.ts).
import { describe, expect, it } from 'vitest';
import { folderRange, ftsQuery } from './listings';

describe('listing helpers', () => {
  it('turns a folder into a path range that excludes sibling prefixes', () => {
    expect(folderRange('/a')).toEqual(['/a/', '/a0']);
    expect(folderRange('/a///')).toEqual(['/a/', '/a0']);
    expect(folderRange('C:\\Scans\\')).toEqual(['C:\\Scans\\', 'C:\\Scans]']);
  });

  it('quotes every word of a search', () => {
    expect(ftsQuery('lazy dog')).toBe('"lazy" "dog"');
    expect(ftsQuery('a"b OR c')).toBe('"a" "b" "OR" "c"');
    expect(ftsQuery('!!')).toBeNull();
  });
});
