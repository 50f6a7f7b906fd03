import { useEffect, useState } from 'react';
import { formatClock } from '../report/duration-format';

/** Elapsed time (ticking) and the time left as last estimated (after each trial). */
export function RunClock({
  startedAtMs,
  remainingMs,
}: {
  readonly startedAtMs: number;
  readonly remainingMs: number | undefined;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <div className="run-clock">
      <span data-testid="run-elapsed">Elapsed {formatClock(now - startedAtMs)}</span>
      {remainingMs !== undefined && (
        <>
          {' · '}
          <span data-testid="run-remaining" data-remaining-ms={Math.round(remainingMs)}>
            about {formatClock(remainingMs)} left
          </span>
        </>
      )}
    </div>
  );
}
