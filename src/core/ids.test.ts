import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids';

describe('uuidv7', () => {
  it('is a version 7, variant 1 UUID', () => {
    const id = uuidv7();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation, also within one millisecond, and never repeats', () => {
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) ids.push(uuidv7(1_700_000_000_000 + Math.floor(i / 1000)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries its time in the first 48 bits', () => {
    const t = Date.UTC(2026, 10, 28, 12, 0, 0);
    expect(parseInt(uuidv7(t).replace(/-/g, '').slice(0, 12), 16)).toBe(t);
  });
});
