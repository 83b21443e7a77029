import { useSyncExternalStore } from 'react';

// One MediaQueryList per query: matchMedia() on every render showed in the scrolling profile.
const lists = new Map<string, MediaQueryList>();
const list = (q: string) => lists.get(q) ?? lists.set(q, matchMedia(q)).get(q)!;

/** Whether a media query matches now, following changes (window resized, theme switched). */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (fn) => {
      const m = list(query);
      m.addEventListener('change', fn);
      return () => m.removeEventListener('change', fn);
    },
    () => list(query).matches,
  );
}
