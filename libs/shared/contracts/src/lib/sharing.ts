/**
 * Sharing with people: notes and todo lists shared with other MicroNote users as `viewer` or
 * `editor` (the owner is never a member row). Public read-only links are `NoteShare` in api.ts.
 */

/** A member's role. The owner can do everything; an editor edits (never deletes or re-shares); a viewer reads. */
export const MEMBER_ROLES = ['viewer', 'editor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The caller's access to a shared item. */
export type AccessRole = 'owner' | MemberRole;

/** A member is `pending` until the invitee accepts. */
export type MemberStatus = 'pending' | 'accepted';

/** A MicroNote user as others see them: never the e-mail. */
export interface PersonSummary {
  id: string;
  username: string;
  displayName: string | null;
}

/** One person a note or a list is shared with. */
export interface Member {
  user: PersonSummary;
  role: MemberRole;
  status: MemberStatus;
  invitedAt: string;
  acceptedAt: string | null;
}

/** `GET /api/notes/:id/members`, `GET /api/lists/:id/members`: the owner and every member. */
export interface MembersResponse {
  owner: PersonSummary;
  items: Member[];
}

/** `POST /api/notes/:id/members`, `POST /api/lists/:id/members`: `user` is a username or an e-mail. */
export interface InviteMemberRequest {
  user: string;
  role: MemberRole;
}

/** `PATCH /api/notes/:id/members/:userId` (owner only). */
export interface UpdateMemberRequest {
  role: MemberRole;
}

/** What an invitation or a shared item is. */
export type SharedKind = 'note' | 'list';

/** `GET /api/shared/invitations`: invitations waiting for the caller's answer. */
export interface Invitation {
  kind: SharedKind;
  /** The note's or the list's id. */
  id: string;
  /** The note's title or the list's name at the time of the listing. */
  title: string;
  role: MemberRole;
  owner: PersonSummary;
  invitedAt: string;
}

/** The caller's place in a note that is not only theirs (on `Note.access`). */
export interface NoteAccess {
  role: AccessRole;
  owner: PersonSummary;
  /** Accepted members besides the owner. */
  members: number;
}

/** A todo list (todos gain an optional `listId`). */
export interface TodoList {
  id: string;
  name: string;
  role: AccessRole;
  owner: PersonSummary;
  /** Accepted members besides the owner. */
  members: number;
  /** Open todos in the list. */
  open: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreateTodoListRequest {
  name: string;
}

export interface UpdateTodoListRequest {
  name: string;
}

/** In-app notification kinds. */
export const NotificationKind = {
  /** `actor` shared a note with you (an invitation: `subject` is the note). */
  NoteShared: 'NOTE_SHARED',
  /** `actor` shared a todo list with you (`subject` is the list). */
  ListShared: 'LIST_SHARED',
  /** `actor` completed a todo (`subject`) in a list you are in (`list`). */
  TodoCompleted: 'TODO_COMPLETED',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/** One in-app notification (`GET /api/notifications`; realtime `event` type NOTIFICATION). */
export interface AppNotification {
  id: string;
  kind: NotificationKind;
  actor: PersonSummary;
  subject: { kind: 'note' | 'list' | 'todo'; id: string; title: string };
  /** TODO_COMPLETED: the list the todo is in. */
  list?: { id: string; name: string };
  readAt: string | null;
  createdAt: string;
}

/** `GET /api/notifications?cursor=`: newest first. */
export interface NotificationsPage {
  items: AppNotification[];
  nextCursor: string | null;
  unread: number;
}

/** `POST /api/notifications/read`: the ids to mark read; none: all. */
export interface MarkNotificationsReadRequest {
  ids?: string[];
}
