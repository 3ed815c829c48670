import type { AppNotification, PersonSummary } from '@micronote/contracts';

const name = (person: PersonSummary) => person.displayName || person.username;

/** One line that says what happened ("Ann shared a note with you: “Trip”"). */
export function notificationText(n: AppNotification): string {
  switch (n.kind) {
    case 'NOTE_SHARED':
      return `${name(n.actor)} shared a note with you: “${n.subject.title}”`;
    case 'LIST_SHARED':
      return `${name(n.actor)} shared a todo list with you: “${n.subject.title}”`;
    case 'TODO_COMPLETED':
      return `${name(n.actor)} completed “${n.subject.title}”${n.list ? ` in ${n.list.name}` : ''}`;
    default:
      return `${name(n.actor)}: “${n.subject.title}”`;
  }
}

/** Where a notification leads. */
export function notificationTarget(n: AppNotification): string {
  switch (n.kind) {
    case 'NOTE_SHARED':
      return '/notes?view=shared';
    case 'LIST_SHARED':
      return `/todos?list=${encodeURIComponent(n.subject.id)}`;
    case 'TODO_COMPLETED':
      return n.list ? `/todos?list=${encodeURIComponent(n.list.id)}` : '/todos';
    default:
      return '/notes';
  }
}
