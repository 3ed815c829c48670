import type { CreatedNoteShare, Note, NoteShare } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';

import { CopyIcon, ShareIcon } from '../../../components/icons';
import { PeopleSection } from '../../../components/people/people-section';
import { ErrorState, Spinner } from '../../../components/states';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useCreateShare } from '../api/create-share';
import { useShares } from '../api/get-shares';
import { useRevokeShare } from '../api/revoke-share';

const DAY_MS = 86_400_000;

export type ShareExpiry = 'never' | '1' | '7' | '30' | 'custom';

const EXPIRY_LABELS: Record<ShareExpiry, string> = {
  never: 'Never',
  '1': 'In 1 day',
  '7': 'In 7 days',
  '30': 'In 30 days',
  custom: 'On a date…',
};

/** `YYYY-MM-DD` of a day in the local time zone (what <input type="date"> speaks). */
const localDate = (at: Date) =>
  `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;

/**
 * The `expiresAt` of a choice: null for never, now + n days, or the end of the chosen day (local
 * time) for a date. Undefined when the date is missing or not in the future.
 */
export function expiryInstant(choice: ShareExpiry, date: string, now = Date.now()): string | null | undefined {
  if (choice === 'never') return null;
  if (choice !== 'custom') return new Date(now + Number(choice) * DAY_MS).toISOString();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
  return end.getTime() > now ? end.toISOString() : undefined;
}

/** The page a link opens, absolute (the server answers it; a relative one is made absolute here). */
const shareUrl = (share: CreatedNoteShare) => new URL(share.url || `/s/${encodeURIComponent(share.token)}`, window.location.origin).href;

const isActive = (share: NoteShare, now: number) => share.expiresAt === null || new Date(share.expiresAt).getTime() > now;

type SharedNote = Pick<Note, 'id' | 'title' | 'access'>;

/** The editor's "Share" button and its dialog (for a member: who the note is shared with, and Leave). */
export function ShareButton({ note, onLeft }: { note: SharedNote; onLeft?: () => void }) {
  const [open, setOpen] = useState(false);
  const isOwner = (note.access?.role ?? 'owner') === 'owner';
  return (
    <>
      <button
        type="button"
        className="icon-btn"
        aria-label={isOwner ? 'Share' : 'People'}
        title={isOwner ? 'Share with people or by a read-only link' : 'Who this note is shared with'}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <ShareIcon />
      </button>
      {open && <ShareDialog note={note} onClose={() => setOpen(false)} onLeft={onLeft} />}
    </>
  );
}

/**
 * Sharing a note: with people (PeopleSection) and, for the owner, by public links: the active ones (created, expires), a new one with an expiry (shown once,
 * with Copy), and Revoke (after a confirmation) for each. A modal on the native <dialog>.
 */
export function ShareDialog({ note, onClose, onLeft }: { note: SharedNote; onClose: () => void; onLeft?: () => void }) {
  const role = note.access?.role ?? 'owner';
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog share-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-inner">
        <h2 id={titleId} className="dialog-title">
          {role === 'owner' ? 'Share' : 'People in'} “{note.title}”
        </h2>
        <PeopleSection
          item={{ kind: 'note', id: note.id }}
          role={role}
          onLeft={() => {
            onClose();
            onLeft?.();
          }}
        />
        {role === 'owner' && <LinksSection note={note} />}
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** The owner's public read-only links. */
function LinksSection({ note }: { note: SharedNote }) {
  const titleId = useId();
  const expiryId = useId();
  const dateId = useId();
  const [expiry, setExpiry] = useState<ShareExpiry>('never');
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedNoteShare | null>(null);
  const shares = useShares(note.id);
  const create = useCreateShare({ onSuccess: setCreated });
  // "Active" as of opening the dialog (a link that expires meanwhile is refused by the server anyway).
  const [now] = useState(Date.now);
  const active = shares.data?.filter((s) => isActive(s, now)) ?? [];
  const full = active.length >= NOTE_LIMITS.shares.maxPerNote;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expiresAt = expiryInstant(expiry, date);
    if (expiresAt === undefined) {
      setDateError('Choose a day from today on.');
      return;
    }
    setDateError(null);
    setCreated(null);
    create.mutate({ noteId: note.id, expiresAt });
  };

  return (
    <section className="share-links-section" aria-labelledby={titleId}>
      <h3 id={titleId} className="people-title">
        Public links
      </h3>
      <p className="dialog-lead">
        Anyone with a link can read this note, always as it is now, without signing in. Nobody can edit it through a link.
      </p>

      {created && <NewLink url={shareUrl(created)} expiresAt={created.expiresAt} />}

      <form className="share-create" onSubmit={submit}>
        <div className="field">
          <label htmlFor={expiryId} className="field-label">
            Link expires
          </label>
          <select
            id={expiryId}
            className="input"
            value={expiry}
            onChange={(event) => {
              setExpiry(event.target.value as ShareExpiry);
              setDateError(null);
            }}
          >
            {(Object.keys(EXPIRY_LABELS) as ShareExpiry[]).map((choice) => (
              <option key={choice} value={choice}>
                {EXPIRY_LABELS[choice]}
              </option>
            ))}
          </select>
        </div>
        {expiry === 'custom' && (
          <div className="field">
            <label htmlFor={dateId} className="field-label">
              Expiry date
            </label>
            <input
              id={dateId}
              type="date"
              className="input"
              value={date}
              min={localDate(new Date(now))}
              required
              aria-invalid={dateError ? true : undefined}
              onChange={(event) => setDate(event.target.value)}
            />
            <p className="field-hint">The link works until the end of that day.</p>
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={create.isPending || full}>
          Create link
        </button>
        {full && <p className="field-hint">A note has at most {NOTE_LIMITS.shares.maxPerNote} links: revoke one first.</p>}
        {(dateError || create.isError) && (
          <p className="field-error" role="alert">
            {dateError ?? `The link could not be created: ${errorMessage(create.error)}`}
          </p>
        )}
      </form>

      <section aria-labelledby={`${titleId}-links`}>
        <h3 id={`${titleId}-links`} className="share-links-title">
          Active links
        </h3>
        {shares.isPending ? (
          <Spinner label="Loading links…" />
        ) : shares.isError ? (
          <ErrorState title="The links could not be loaded" error={shares.error} onRetry={() => void shares.refetch()} />
        ) : active.length === 0 ? (
          <p className="share-links-empty">No active links. This note is private.</p>
        ) : (
          <ul className="share-links" aria-label="Active links">
            {active.map((share) => (
              <ShareRow key={share.id} noteId={note.id} share={share} />
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

/** The link just created: its only showing (the server keeps only a hash of the token). */
function NewLink({ url, expiresAt }: { url: string; expiresAt: string | null }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [url]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('copied');
    } catch {
      // No clipboard API (not a secure context) or no permission: select the link for Ctrl+C,
      // after trying the old way.
      const input = inputRef.current;
      input?.focus();
      input?.select();
      let ok = false;
      try {
        ok = typeof document.execCommand === 'function' && document.execCommand('copy');
      } catch {
        ok = false;
      }
      setCopied(ok ? 'copied' : 'select');
    }
  };

  return (
    <section className="share-new" aria-label="New link">
      <p className="share-new-lead">
        <strong>Copy the link now:</strong> it is shown only once.{' '}
        {expiresAt ? `It works until ${formatDateTime(expiresAt)}.` : 'It never expires.'}
      </p>
      <div className="share-url">
        <input
          ref={inputRef}
          className="input"
          readOnly
          value={url}
          aria-label="New share link"
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
          <CopyIcon width={16} height={16} />
          Copy
        </button>
      </div>
      <p className="share-copy-status" role="status">
        {copied === 'copied' && 'Copied to the clipboard.'}
        {copied === 'select' && 'Copying is not allowed here: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.'}
      </p>
    </section>
  );
}

function ShareRow({ noteId, share }: { noteId: string; share: NoteShare }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useRevokeShare();
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);
  const label = `Link created ${formatDateTime(share.createdAt)}`;
  return (
    <li className="share-link" aria-label={label}>
      <div className="share-link-dates">
        <span>Created {formatDateTime(share.createdAt)}</span>
        <span>{share.expiresAt ? `Expires ${formatDateTime(share.expiresAt)}` : 'Never expires'}</span>
      </div>
      {confirming ? (
        <div className="share-link-confirm" role="group" aria-label="Confirm revoking">
          <span>Revoke it? The link stops working for everyone who has it.</span>
          <button
            type="button"
            className="btn btn-danger btn-sm"
            disabled={revoke.isPending}
            onClick={() => revoke.mutate({ noteId, shareId: share.id })}
          >
            Revoke link
          </button>
          <button
            ref={keepRef}
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => {
              setConfirming(false);
              revoke.reset();
            }}
          >
            Keep
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
      {revoke.isError && (
        <p className="field-error" role="alert">
          Not revoked: {errorMessage(revoke.error)}
        </p>
      )}
    </li>
  );
}
