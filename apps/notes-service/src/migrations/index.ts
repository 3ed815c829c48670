import { CreateNotes1764000000001 } from './1764000000001-create-notes';
import { CreateNoteUsage1764600000001 } from './1764600000001-create-note-usage';
import { CreateNoteShares1765300000001 } from './1765300000001-create-note-shares';
import { CreateNoteRevisions1765300000002 } from './1765300000002-create-note-revisions';
import { CreateNoteMembers1765400000001 } from './1765400000001-create-note-members';
import { CreateNoteDocs1765500000001 } from './1765500000001-create-note-docs';

/** Every migration of notes-service, oldest first. */
export const migrations = [
  CreateNotes1764000000001,
  CreateNoteUsage1764600000001,
  CreateNoteShares1765300000001,
  CreateNoteRevisions1765300000002,
  CreateNoteMembers1765400000001,
  CreateNoteDocs1765500000001,
];
