import type { commonV1 } from '@micronote/proto';
import { notesV1 } from '@micronote/proto';
import { EventLog, GrpcEndpoint } from '@micronote/server-core';
import { Controller } from '@nestjs/common';
import { from, Observable } from 'rxjs';

import { NotesService } from './notes.service';

@Controller()
@GrpcEndpoint()
@notesV1.NotesServiceControllerMethods()
export class NotesGrpcController implements notesV1.NotesServiceController {
  constructor(
    private readonly notes: NotesService,
    private readonly events: EventLog,
  ) {}

  createNote(request: notesV1.CreateNoteRequest): Promise<notesV1.Note> {
    return this.notes.create(request);
  }

  getNote(request: notesV1.GetNoteRequest): Promise<notesV1.Note> {
    return this.notes.get(request.userId, request.id);
  }

  updateNote(request: notesV1.UpdateNoteRequest): Promise<notesV1.Note> {
    return this.notes.update(request);
  }

  async deleteNote(request: notesV1.DeleteNoteRequest): Promise<commonV1.Empty> {
    await this.notes.delete(request);
    return {};
  }

  restoreNote(request: notesV1.RestoreNoteRequest): Promise<notesV1.Note> {
    return this.notes.restore(request);
  }

  listNotes(request: notesV1.ListNotesRequest): Promise<notesV1.ListNotesResponse> {
    return this.notes.list(request);
  }

  listTags(request: notesV1.ListTagsRequest): Promise<notesV1.ListTagsResponse> {
    return this.notes.listTags(request.userId);
  }

  getNoteStats(request: notesV1.GetNoteStatsRequest): Promise<notesV1.NoteStats> {
    return this.notes.stats(request.userId);
  }

  exportNotes(request: notesV1.ExportNotesRequest): Observable<notesV1.Note> {
    return from(this.notes.export(request.userId));
  }

  importNotes(request: notesV1.ImportNotesRequest): Promise<notesV1.ImportNotesResponse> {
    return this.notes.import(request);
  }

  async deleteUserNotes(request: notesV1.DeleteUserNotesRequest): Promise<notesV1.DeleteUserNotesResponse> {
    return { deleted: await this.notes.deleteAllOfUser(request.userId) };
  }

  /**
   * The user's note events: those after `lastEventId` first, then live ones, until the client
   * cancels. A `RESYNC` event says the missed ones are no longer all kept.
   */
  streamNoteUpdates(request: notesV1.StreamNoteUpdatesRequest): Observable<notesV1.NoteEvent> {
    return new Observable<notesV1.NoteEvent>((subscriber) =>
      this.events.watch(request.userId, request.lastEventId || undefined, {
        onEvent: (event) => {
          if (!event.type.startsWith('NOTE_')) return;
          subscriber.next({
            id: event.id,
            type: event.type,
            userId: event.userId,
            at: event.at,
            note: event.note && { ...event.note, deletedAt: event.note.deletedAt ?? undefined },
            noteId: event.noteId ?? '',
            clientId: event.clientId ?? '',
            truncated: event.truncated ?? false,
            version: event.version ?? 0,
          });
        },
        onResync: () =>
          subscriber.next({
            id: '',
            type: 'RESYNC',
            userId: request.userId,
            at: new Date().toISOString(),
            noteId: '',
            clientId: '',
            truncated: false,
            version: 0,
          }),
      }),
    );
  }
}
