import type { CollabState } from './collab-session';
import { initials } from './user-colour';

const STATUS_TEXT: Record<CollabState['status'], string> = {
  joining: 'Connecting…',
  live: 'Live',
  offline: 'Offline: your edits are kept and sent when back',
  closed: 'Live editing ended',
};

const MAX_AVATARS = 5;

/**
 * In the editor's header of a live note: who is in the note (an avatar in each one's colour,
 * with the name on hover and for screen readers), and whether the session is live (a viewer's
 * "Read only" is the editor's, in place of the save status).
 */
export function PresenceBar({ state }: { state: CollabState }) {
  const { status, peers } = state;
  const shown = peers.slice(0, MAX_AVATARS);
  const more = peers.length - shown.length;
  const names = peers.map((p) => (p.self ? `${p.name} (you)` : p.name));
  return (
    <div className="presence" data-status={status}>
      <span className={`presence-live presence-live-${status}`} role="status">
        <span className="presence-live-dot" aria-hidden="true" />
        {STATUS_TEXT[status]}
      </span>
      {peers.length > 0 && (
        <ul className="presence-people" aria-label={`In this note: ${names.join(', ')}`}>
          {shown.map((p) => (
            <li key={p.userId} className="presence-avatar" style={{ backgroundColor: p.color }} title={p.self ? `${p.name} (you)` : p.name}>
              <span aria-hidden="true">{initials(p.name)}</span>
              <span className="visually-hidden">{p.self ? `${p.name} (you)` : p.name}</span>
            </li>
          ))}
          {more > 0 && (
            <li className="presence-avatar presence-more" title={names.slice(MAX_AVATARS).join(', ')}>
              +{more}
            </li>
          )}
        </ul>
      )}
      {peers.length > 1 && (
        <span className="presence-names" aria-hidden="true">
          {peers
            .filter((p) => !p.self)
            .map((p) => p.name)
            .join(', ')}
        </span>
      )}
    </div>
  );
}
