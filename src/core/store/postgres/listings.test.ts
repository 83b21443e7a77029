import { describe, expect, it } from 'vitest';
import { tsQuery } from './listings';

describe('tsQuery', () => {
  it('makes every word a quoted, required lexeme and keeps a trailing * as prefix search', () => {
    expect(tsQuery('lazy dog')).toBe("'lazy' & 'dog'");
    expect(tsQuery("a\"b OR c:* it's bil*")).toBe("'a' & 'b' & 'OR' & 'c' & 'it' & 's' & 'bil':*");
    expect(tsQuery('!(&|)')).toBeNull();
  });
});
