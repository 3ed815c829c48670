import { useEffect, useMemo, useRef } from 'react';

/** A function that calls `fn` `delayMs` after its last call (pending calls are dropped on unmount). */
export function useDebouncedCallback<A extends unknown[]>(fn: (...args: A) => void, delayMs: number): (...args: A) => void {
  const fnRef = useRef(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    fnRef.current = fn;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(
    () =>
      (...args: A) => {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => fnRef.current(...args), delayMs);
      },
    [delayMs],
  );
}
