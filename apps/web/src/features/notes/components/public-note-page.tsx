import type { ReactNode } from 'react';
import { useParams } from 'react-router-dom';

import { AlertIcon, NoteIcon } from '../../../components/icons';
import { Spinner } from '../../../components/states';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { usePublicNote } from '../api/get-public-note';
import { NotePreview } from './note-preview';

function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <div className="public-note-page">
      {/* A shared link is nobody's search result. */}
      <meta name="robots" content="noindex, nofollow" />
      <header className="public-note-brand">
        {/* A full page load: the app (and its session) starts only for someone who goes on to it. */}
        <a href="/" className="brand" aria-label="MicroNote home">
          <span className="brand-mark" aria-hidden="true">
            M
          </span>
          <span className="brand-name">MicroNote</span>
        </a>
      </header>
      <main id="main" className="public-note-main">
        {children}
      </main>
    </div>
  );
}

/**
 * `/s/:token`: a note someone shared, read-only, for anyone with the link. No session: it neither
 * needs one nor starts one (no token refresh, no socket); the note is the current text.
 */
export function PublicNotePage() {
  const { token = '' } = useParams();
  const note = usePublicNote(token);

  if (note.isPending)
    return (
      <PublicFrame>
        <title>Shared note · MicroNote</title>
        <Spinner label="Opening the shared note…" />
      </PublicFrame>
    );

  if (note.isError) {
    const gone = note.error instanceof ApiError && note.error.status === 404;
    return (
      <PublicFrame>
        <title>{gone ? 'Link no longer works · MicroNote' : 'Shared note · MicroNote'}</title>
        {gone ? (
          <div className="empty-state public-note-gone" role="alert">
            <div className="empty-state-icon" aria-hidden="true">
              <NoteIcon width={32} height={32} />
            </div>
            <h1 className="empty-state-title">This link no longer works</h1>
            <p className="empty-state-body">
              It was revoked or has expired, or the note was deleted. Ask whoever shared it for a new link.
            </p>
          </div>
        ) : (
          <div className="error-state" role="alert">
            <AlertIcon />
            <h1 className="error-state-title">The shared note could not be loaded</h1>
            <p className="error-state-body">{errorMessage(note.error)}</p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void note.refetch()}>
              Try again
            </button>
          </div>
        )}
      </PublicFrame>
    );
  }

  const { title, text, updatedAt } = note.data;
  return (
    <PublicFrame>
      <title>{`${title} · MicroNote`}</title>
      <article className="public-note" aria-labelledby="public-note-title">
        <h1 id="public-note-title" className="public-note-title">
          {title}
        </h1>
        <p className="public-note-meta">
          <span className="badge">Read-only</span>{' '}
          <time dateTime={updatedAt} title={formatDateTime(updatedAt)}>
            Updated {formatRelative(updatedAt)}
          </time>
        </p>
        {/* The editor's preview, read-only (the boxes cannot be ticked); loaded with the page's first note. */}
        <div className="public-note-text">
          <NotePreview text={text} disabled />
        </div>
      </article>
    </PublicFrame>
  );
}
