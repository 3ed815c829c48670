import { CreateNotes1764000000001 } from './1764000000001-create-notes';

/** Every migration of notes-service, oldest first. */
export const migrations = [CreateNotes1764000000001];
