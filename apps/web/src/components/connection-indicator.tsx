import { useRealtimeStatus } from '../lib/socket';

const LABELS = { connected: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const;
const TITLES = {
  connected: 'Changes from your other tabs and devices appear here as they happen.',
  connecting: 'Connecting to live updates…',
  offline: 'Live updates are paused; they catch up when the connection is back.',
} as const;

/** The realtime connection's state: a dot with a word (never colour alone). */
export function ConnectionIndicator() {
  const status = useRealtimeStatus();
  return (
    <span className={`connection connection-${status}`} role="status" title={TITLES[status]} data-status={status}>
      <span className="visually-hidden">Live updates: </span>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABELS[status]}</span>
    </span>
  );
}
