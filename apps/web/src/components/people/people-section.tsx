import type { AccessRole, Member, MemberRole, PersonSummary } from '@micronote/contracts';
import { MEMBER_ROLES } from '@micronote/contracts';
import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';

import { ApiError, errorMessage } from '../../lib/api-client';
import { ErrorState, Spinner } from '../states';
import { TextField } from '../text-field';
import type { SharedItem } from './member-keys';
import { useInviteMember, useMembers, useRemoveMember, useUpdateMember } from './members-api';

export const ROLE_LABEL: Record<AccessRole, string> = { owner: 'Owner', editor: 'Can edit', viewer: 'Can view' };

/** What the invite form tells about the API's stable codes (anything else: the server's message). */
const INVITE_ERRORS: Record<string, string> = {
  USER_NOT_FOUND: 'Nobody has that username or e-mail.',
  ALREADY_MEMBER: 'They are already in it (or invited).',
  CANNOT_SHARE_WITH_SELF: 'That is you: you are the owner.',
  TOO_MANY_MEMBERS: 'It is shared with as many people as it can be: remove someone first.',
};

export const personName = (person: PersonSummary): string => person.displayName || person.username;

export interface PeopleSectionProps {
  item: SharedItem;
  /** The caller's role: the owner invites, changes roles and removes; a member sees who is in and can leave. */
  role: AccessRole;
  /** After leaving (the item is no longer the caller's to see). */
  onLeft?: () => void;
}

/**
 * "People": who a note or a todo list is shared with. The owner invites by username or e-mail as
 * viewer or editor (errors inline, by their code), changes a member's role and removes them;
 * members see the owner and the others, and can leave.
 */
export function PeopleSection({ item, role, onLeft }: PeopleSectionProps) {
  const headingId = useId();
  const members = useMembers(item);
  const isOwner = role === 'owner';
  return (
    <section className="people" aria-labelledby={headingId}>
      <h3 id={headingId} className="people-title">
        People
      </h3>
      {isOwner && <InviteForm item={item} />}
      {members.isPending ? (
        <Spinner label="Loading people…" />
      ) : members.isError ? (
        <ErrorState title="The people could not be loaded" error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <ul className="people-list" aria-label="People with access">
          <li className="person">
            <PersonName person={members.data.owner} />
            <span className="badge">{ROLE_LABEL.owner}</span>
          </li>
          {members.data.items.map((member) => (
            <MemberRow key={member.user.id} item={item} member={member} manage={isOwner} />
          ))}
          {isOwner && members.data.items.length === 0 && <li className="people-empty">Only you. Invite someone above.</li>}
        </ul>
      )}
      {!isOwner && <LeaveButton item={item} onLeft={onLeft} />}
    </section>
  );
}

function PersonName({ person }: { person: PersonSummary }) {
  return (
    <span className="person-name">
      <span className="avatar" aria-hidden="true">
        {personName(person).slice(0, 1).toUpperCase()}
      </span>
      <span>
        {personName(person)}
        {person.displayName && <span className="person-username"> @{person.username}</span>}
      </span>
    </span>
  );
}

function RoleSelect({
  value,
  onChange,
  label,
  disabled,
}: {
  value: MemberRole;
  onChange: (role: MemberRole) => void;
  label: string;
  disabled?: boolean;
}) {
  return (
    <select
      className="input input-sm"
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value as MemberRole)}
    >
      {MEMBER_ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABEL[r]}
        </option>
      ))}
    </select>
  );
}

function InviteForm({ item }: { item: SharedItem }) {
  const [user, setUser] = useState('');
  const [role, setRole] = useState<MemberRole>('editor');
  const [invited, setInvited] = useState<string | null>(null);
  const invite = useInviteMember({
    onSuccess: (member) => {
      setUser('');
      setInvited(`${personName(member.user)} is invited. They see it once they accept.`);
    },
  });
  const error = invite.error
    ? invite.error instanceof ApiError && INVITE_ERRORS[invite.error.code]
      ? INVITE_ERRORS[invite.error.code]
      : errorMessage(invite.error)
    : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = user.trim();
    if (!name) return;
    setInvited(null);
    invite.mutate({ item, user: name, role });
  };

  return (
    <form className="people-invite" onSubmit={submit} noValidate>
      <TextField
        label="Invite by username or e-mail"
        value={user}
        autoComplete="off"
        placeholder="alice or alice@example.com"
        error={error}
        onChange={(event) => {
          setUser(event.target.value);
          if (invite.isError) invite.reset();
        }}
      />
      <div className="people-invite-actions">
        <RoleSelect value={role} onChange={setRole} label="Role of the person invited" />
        <button type="submit" className="btn btn-primary" disabled={invite.isPending || !user.trim()}>
          Invite
        </button>
      </div>
      <p className="field-hint" role="status">
        {invited}
      </p>
    </form>
  );
}

function MemberRow({ item, member, manage }: { item: SharedItem; member: Member; manage: boolean }) {
  const update = useUpdateMember();
  const remove = useRemoveMember();
  const name = personName(member.user);
  const failed = update.error ?? remove.error;
  return (
    <li className="person" aria-label={name}>
      <PersonName person={member.user} />
      {member.status === 'pending' && <span className="badge badge-muted">Invited</span>}
      {manage ? (
        <span className="person-actions">
          <RoleSelect
            value={member.role}
            label={`Role of ${name}`}
            disabled={update.isPending}
            onChange={(role) => update.mutate({ item, userId: member.user.id, role })}
          />
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-label={`Remove ${name}`}
            disabled={remove.isPending}
            onClick={() => remove.mutate({ item, userId: member.user.id })}
          >
            Remove
          </button>
        </span>
      ) : (
        <span className="badge">{ROLE_LABEL[member.role]}</span>
      )}
      {failed && (
        <p className="field-error person-error" role="alert">
          {errorMessage(failed)}
        </p>
      )}
    </li>
  );
}

function LeaveButton({ item, onLeft }: { item: SharedItem; onLeft?: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const leave = useRemoveMember({ onSuccess: () => onLeft?.() });
  const what = item.kind === 'note' ? 'note' : 'list';
  // The keyboard follows the question: into it (on "Stay", the safe answer), and back to Leave after it.
  const stayButton = useRef<HTMLButtonElement>(null);
  const leaveButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) stayButton.current?.focus();
    else if (asked.current) leaveButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  return (
    <div className="people-leave">
      {confirming ? (
        <div role="group" aria-label="Confirm leaving">
          <span>Leave this {what}? You need a new invitation to see it again.</span>{' '}
          <button
            type="button"
            className="btn btn-danger btn-sm"
            disabled={leave.isPending}
            onClick={() => leave.mutate({ item, userId: 'me' })}
          >
            Leave {what}
          </button>{' '}
          <button ref={stayButton} type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirming(false)}>
            Stay
          </button>
        </div>
      ) : (
        <button ref={leaveButton} type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirming(true)}>
          Leave
        </button>
      )}
      {leave.isError && (
        <p className="field-error" role="alert">
          Could not leave: {errorMessage(leave.error)}
        </p>
      )}
    </div>
  );
}
