import type { commonV1 } from '@micronote/proto';
import { notesV1 } from '@micronote/proto';
import { DomainError, GrpcExceptionFilter, GrpcStatus } from '@micronote/server-core';
import { Controller, UseFilters } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { from } from 'rxjs';

import { NotesService } from './notes.service';

@Controller()
@UseFilters(GrpcExceptionFilter)
@notesV1.NotesServiceControllerMethods()
export class NotesGrpcController implements notesV1.NotesServiceController {
  constructor(private readonly notes: NotesService) {}

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

  streamNoteUpdates(): Observable<notesV1.NoteEvent> {
    // Comes with the realtime event log (see the realtime issue); until then an honest UNIMPLEMENTED.
    throw new DomainError('NOT_IMPLEMENTED', 'StreamNoteUpdates is not available yet', GrpcStatus.UNIMPLEMENTED);
  }
}
