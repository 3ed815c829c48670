import { useEffect, useState } from 'react';

/** The current time, again every `everyMs` (default a minute): what "overdue" and "today" are measured against. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
