import { describe, expect, it } from 'vitest';
import { queryTerms } from './marks';

describe('query words to mark on a page', () => {
  it('keeps words and prefixes (as the store\'s ftsQuery reads them), drops quotes and signs', () => {
    expect(queryTerms('lazy fox')).toEqual([
      { word: 'lazy', prefix: false },
      { word: 'fox', prefix: false },
    ]);
    expect(queryTerms('"brown dog" or: quick*')).toEqual([
      { word: 'brown', prefix: false },
      { word: 'dog', prefix: false },
      { word: 'or', prefix: false },
      { word: 'quick', prefix: true },
    ]);
    expect(queryTerms('Ärger')).toEqual([{ word: 'ärger', prefix: false }]);
    expect(queryTerms('  ')).toEqual([]);
  });
});
