import { membersEntity } from '@micronote/server-data';

/** `note_members` (migrations/1765400000001-create-note-members.ts): the people a note is shared with. */
export const NoteMemberEntity = membersEntity('note_members', 'note_id');
