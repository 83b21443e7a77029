import { describe, expect, it } from 'vitest';
import { priorityForSize } from './priority';

const MB = 1024 * 1024;

describe('priorityForSize', () => {
  it.each([
    [0, 10],
    [1 * MB, 10],
    [1 * MB + 1, 8],
    [5 * MB, 8],
    [5 * MB + 1, 6],
    [10 * MB, 6],
    [10 * MB + 1, 4],
    [50 * MB, 4],
    [50 * MB + 1, 2],
    [5 * 1024 * MB, 2],
  ])('%d bytes -> priority %d', (bytes, expected) => {
    expect(priorityForSize(bytes)).toBe(expected);
  });
});
