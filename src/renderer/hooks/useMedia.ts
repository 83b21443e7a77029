import { useSyncExternalStore } from 'react';

/** Whether a media query matches now, following changes (window resized, theme switched). */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (fn) => {
      const m = matchMedia(query);
      m.addEventListener('change', fn);
      return () => m.removeEventListener('change', fn);
    },
    () => matchMedia(query).matches,
  );
}
