import type { AppNotification, Invitation } from '@micronote/contracts';
import { useEffect, useId, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router-dom';

import { BellIcon, CloseIcon } from '../../../components/icons';
import { EmptyState, ErrorState, SkeletonList, Spinner } from '../../../components/states';
import { errorMessage } from '../../../lib/api-client';
import { formatRelative } from '../../../lib/format';
import type { AnswerInvitationInput } from '../api/answer-invitation';
import { useAnswerInvitation } from '../api/answer-invitation';
import { useInvitations } from '../api/get-invitations';
import { unreadCount, useNotifications } from '../api/get-notifications';
import { useMarkNotificationsRead } from '../api/mark-notifications-read';
import { notificationTarget, notificationText } from '../lib/notification-text';

export interface NotificationsPanelProps {
  onClose: () => void;
  /** An invitation was accepted or declined: what it opens (a shared note, a list) is refreshed by the app. */
  onInvitationAnswered?: (input: AnswerInvitationInput) => void;
}

/**
 * The bell's panel, a modal on the native <dialog> (focus kept inside, Escape or a click beside it
 * closes): the invitations waiting for an answer (Accept / Decline), then the notifications, newest
 * first (a click opens what it is about and marks it read), and "Mark all read".
 */
export function NotificationsPanel({ onClose, onInvitationAnswered }: NotificationsPanelProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const navigate = useNavigate();
  const notifications = useNotifications();
  const invitations = useInvitations();
  const markRead = useMarkNotificationsRead();
  const items = useMemo(() => notifications.data?.pages.flatMap((p) => p.items) ?? [], [notifications.data]);
  const unread = unreadCount(notifications.data);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);

  const open = (n: AppNotification) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    onClose();
    navigate(notificationTarget(n));
  };

  return (
    <dialog
      ref={ref}
      className="dialog notifications-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // A click on the backdrop (the dialog element itself, outside its inner box) closes it.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="dialog-inner notifications-inner">
        <div className="notifications-head">
          <h2 id={titleId} className="dialog-title">
            Notifications
          </h2>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={unread === 0 || markRead.isPending}
            onClick={() => markRead.mutate({})}
          >
            Mark all read
          </button>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </div>

        {invitations.isError ? (
          <ErrorState title="Invitations could not be loaded" error={invitations.error} onRetry={() => void invitations.refetch()} />
        ) : invitations.data && invitations.data.length > 0 ? (
          <section aria-labelledby={`${titleId}-inv`} className="invitations">
            <h3 id={`${titleId}-inv`} className="people-title">
              Invitations
            </h3>
            <ul className="invitation-list" aria-label="Invitations">
              {invitations.data.map((invitation) => (
                <InvitationRow key={`${invitation.kind}:${invitation.id}`} invitation={invitation} onAnswered={onInvitationAnswered} />
              ))}
            </ul>
          </section>
        ) : null}

        {notifications.isPending ? (
          <SkeletonList rows={3} label="Loading notifications" />
        ) : notifications.isError ? (
          <ErrorState title="Notifications could not be loaded" error={notifications.error} onRetry={() => void notifications.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon={<BellIcon />} title="No notifications yet">
            You hear here when someone shares a note or a list with you, or completes a todo in a shared list.
          </EmptyState>
        ) : (
          <>
            <ul className="notification-list" aria-label="Notifications">
              {items.map((n) => (
                <li key={n.id} className={`notification${n.readAt ? '' : ' is-unread'}`}>
                  <button type="button" className="notification-btn" onClick={() => open(n)}>
                    {!n.readAt && <span className="visually-hidden">Unread: </span>}
                    <span className="notification-text">{notificationText(n)}</span>
                    <time className="notification-time" dateTime={n.createdAt}>
                      {formatRelative(n.createdAt)}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
            {notifications.hasNextPage && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                disabled={notifications.isFetchingNextPage}
                onClick={() => void notifications.fetchNextPage()}
              >
                {notifications.isFetchingNextPage ? <Spinner inline label="Loading more" /> : 'Older notifications'}
              </button>
            )}
          </>
        )}
      </div>
    </dialog>
  );
}

function InvitationRow({ invitation, onAnswered }: { invitation: Invitation; onAnswered?: (input: AnswerInvitationInput) => void }) {
  const answer = useAnswerInvitation({ onSuccess: onAnswered });
  const owner = invitation.owner.displayName || invitation.owner.username;
  const what = invitation.kind === 'note' ? 'note' : 'todo list';
  return (
    <li className="invitation" aria-label={`Invitation to “${invitation.title}”`}>
      <p className="invitation-text">
        <strong>{owner}</strong> invites you to {invitation.role === 'viewer' ? 'view' : 'edit'} the {what}{' '}
        <strong>“{invitation.title}”</strong>
        <span className="notification-time"> · {formatRelative(invitation.invitedAt)}</span>
      </p>
      <div className="invitation-actions">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          disabled={answer.isPending}
          onClick={() => answer.mutate({ invitation, accept: true })}
        >
          Accept
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={answer.isPending}
          onClick={() => answer.mutate({ invitation, accept: false })}
        >
          Decline
        </button>
      </div>
      {answer.isError && (
        <p className="field-error" role="alert">
          {errorMessage(answer.error)}
        </p>
      )}
    </li>
  );
}
