import type { SessionInfo } from '@micronote/contracts';

import { ErrorState, SkeletonList } from '../../../components/states';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useSessions } from '../api/get-sessions';
import { useRevokeSession } from '../api/revoke-session';

/** "Chrome on Linux" from a user agent string; the raw string when it is not recognised. */
export function describeAgent(userAgent: string): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : /curl|node|undici/i.test(userAgent)
            ? 'API client'
            : '';
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return browser ? (os ? `${browser} on ${os}` : browser) : userAgent.slice(0, 60);
}

export function SessionsSection() {
  const sessions = useSessions();
  const revoke = useRevokeSession({ onSuccess: () => toast.success('Session signed out') });

  return (
    <section className="card card-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="card-title">
        Where you are signed in
      </h2>
      <p className="card-lead">Each sign-in is its own session. Sign out the ones you do not recognise.</p>
      {sessions.isPending ? (
        <SkeletonList rows={2} label="Loading sessions" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <ul className="session-list">
          {[...sessions.data]
            .sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt))
            .map((session: SessionInfo) => (
              <li key={session.id} className="session">
                <div className="session-info">
                  <span className="session-agent" title={session.userAgent}>
                    {describeAgent(session.userAgent)} {session.current && <span className="badge">This device</span>}
                  </span>
                  <span className="session-times">
                    Signed in{' '}
                    <time dateTime={session.createdAt} title={formatDateTime(session.createdAt)}>
                      {formatRelative(session.createdAt)}
                    </time>{' '}
                    · last active{' '}
                    <time dateTime={session.lastUsedAt} title={formatDateTime(session.lastUsedAt)}>
                      {formatRelative(session.lastUsedAt)}
                    </time>
                  </span>
                </div>
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  disabled={revoke.isPending && revoke.variables?.id === session.id}
                  onClick={() => revoke.mutate(session)}
                  aria-label={
                    session.current
                      ? 'Sign out of this device'
                      : `Sign out ${describeAgent(session.userAgent)}, signed in ${formatRelative(session.createdAt)}`
                  }
                >
                  {session.current ? 'Sign out' : 'Revoke'}
                </button>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
