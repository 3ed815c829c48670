// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import { EventLog, noteEventStream } from '@micronote/events';
import type { commonV1 } from '@micronote/proto';
import { notesV1 } from '@micronote/proto';
import { AcceptCallers, GrpcEndpoint } from '@micronote/server-core';
import { FOR_USER, PURGER } from '@micronote/server-data';
import { Controller } from '@nestjs/common';
import { from, Observable } from 'rxjs';

import { CollabService } from '../collab/collab.service';
import { NoteMembersService } from './note-members.service';
import { NoteOrganizeService } from './note-organize.service';
import { NoteSharesService } from './note-shares.service';
import { NotesService } from './notes.service';
// jscpd:ignore-end

/** GetSharedNote: the gateway as itself (a public link's reader has no account). */
const PUBLIC_READER = { asService: ['gateway'] } as const;

// jscpd:ignore-start -- the gRPC controller's header and injection: alike in both twins by design
@Controller()
@GrpcEndpoint()
@notesV1.NotesServiceControllerMethods()
export class NotesGrpcController implements notesV1.NotesServiceController {
  constructor(
    private readonly notes: NotesService,
    private readonly events: EventLog,
    private readonly organize: NoteOrganizeService,
    private readonly shares: NoteSharesService,
    private readonly members: NoteMembersService,
    private readonly collab: CollabService,
  ) {}
  // jscpd:ignore-end

  @AcceptCallers(FOR_USER)
  createNote(request: notesV1.CreateNoteRequest): Promise<notesV1.Note> {
    return this.notes.create(request);
  }

  @AcceptCallers(FOR_USER)
  getNote(request: notesV1.GetNoteRequest): Promise<notesV1.Note> {
    return this.notes.get(request.userId, request.id);
  }

  @AcceptCallers(FOR_USER)
  updateNote(request: notesV1.UpdateNoteRequest): Promise<notesV1.Note> {
    return this.notes.update(request);
  }

  @AcceptCallers(FOR_USER)
  async deleteNote(request: notesV1.DeleteNoteRequest): Promise<commonV1.Empty> {
    await this.notes.delete(request);
    return {};
  }

  @AcceptCallers(FOR_USER)
  restoreNote(request: notesV1.RestoreNoteRequest): Promise<notesV1.Note> {
    return this.notes.restore(request);
  }

  @AcceptCallers(FOR_USER)
  listNotes(request: notesV1.ListNotesRequest): Promise<notesV1.ListNotesResponse> {
    return this.notes.list(request);
  }

  @AcceptCallers(FOR_USER)
  listTags(request: notesV1.ListTagsRequest): Promise<notesV1.ListTagsResponse> {
    return this.notes.listTags(request.userId);
  }

  @AcceptCallers(FOR_USER)
  getNoteStats(request: notesV1.GetNoteStatsRequest): Promise<notesV1.NoteStats> {
    return this.notes.stats(request.userId);
  }

  @AcceptCallers(FOR_USER)
  exportNotes(request: notesV1.ExportNotesRequest): Observable<notesV1.Note> {
    return from(this.notes.export(request.userId));
  }

  @AcceptCallers(FOR_USER)
  importNotes(request: notesV1.ImportNotesRequest): Promise<notesV1.ImportNotesResponse> {
    return this.notes.import(request);
  }

  @AcceptCallers(PURGER)
  async deleteUserNotes(request: notesV1.DeleteUserNotesRequest): Promise<notesV1.DeleteUserNotesResponse> {
    return { deleted: await this.notes.deleteAllOfUser(request.userId) };
  }

  @AcceptCallers(FOR_USER)
  tickTask(request: notesV1.TickTaskRequest): Promise<notesV1.Note> {
    return this.notes.tick(request);
  }

  @AcceptCallers(FOR_USER)
  listRevisions(request: notesV1.ListRevisionsRequest): Promise<notesV1.ListRevisionsResponse> {
    return this.notes.listRevisions(request);
  }

  @AcceptCallers(FOR_USER)
  getRevision(request: notesV1.GetRevisionRequest): Promise<notesV1.NoteRevision> {
    return this.notes.getRevision(request);
  }

  @AcceptCallers(FOR_USER)
  restoreRevision(request: notesV1.RestoreRevisionRequest): Promise<notesV1.Note> {
    return this.notes.restoreRevision(request);
  }

  /** The user's note events, catch-up then live (the internal way to subscribe; see the README). */
  @AcceptCallers(FOR_USER)
  streamNoteUpdates(request: notesV1.StreamNoteUpdatesRequest): Observable<notesV1.NoteEvent> {
    return noteEventStream(this.events, request);
  }

  // --- Live collaboration (src/collab/) ---

  @AcceptCallers(FOR_USER)
  joinNoteSession(request: notesV1.JoinNoteSessionRequest): Promise<notesV1.JoinNoteSessionResponse> {
    return this.collab.join(request);
  }

  @AcceptCallers(FOR_USER)
  applyNoteUpdate(
    request: notesV1.ApplyNoteUpdateRequest,
    _metadata?: unknown,
    call?: { getDeadline(): Date | number },
  ): Promise<notesV1.ApplyNoteUpdateResponse> {
    // The caller's deadline: an update still waiting for its batch past it is not stored (see CollabService.apply).
    const deadline = call?.getDeadline();
    return this.collab.apply(request, deadline === undefined ? Infinity : Number(deadline instanceof Date ? deadline.getTime() : deadline));
  }

  // --- Organising: tag rename, share links, bulk actions ---

  @AcceptCallers(FOR_USER)
  renameTag(request: notesV1.RenameTagRequest): Promise<notesV1.RenameTagResponse> {
    return this.organize.renameTag(request);
  }

  @AcceptCallers(FOR_USER)
  bulkNotes(request: notesV1.BulkNotesRequest): Promise<notesV1.BulkNotesResponse> {
    return this.organize.bulk(request);
  }

  @AcceptCallers(FOR_USER)
  createNoteShare(request: notesV1.CreateNoteShareRequest): Promise<notesV1.CreatedNoteShare> {
    return this.shares.create(request);
  }

  @AcceptCallers(FOR_USER)
  listNoteShares(request: notesV1.ListNoteSharesRequest): Promise<notesV1.ListNoteSharesResponse> {
    return this.shares.list(request);
  }

  @AcceptCallers(FOR_USER)
  async deleteNoteShare(request: notesV1.DeleteNoteShareRequest): Promise<commonV1.Empty> {
    await this.shares.delete(request);
    return {};
  }

  @AcceptCallers(PUBLIC_READER)
  getSharedNote(request: notesV1.GetSharedNoteRequest): Promise<notesV1.SharedNote> {
    return this.shares.getShared(request);
  }

  // --- Sharing with people ---

  @AcceptCallers(FOR_USER)
  inviteNoteMember(request: notesV1.InviteNoteMemberRequest): Promise<notesV1.NoteMember> {
    return this.members.invite(request);
  }

  @AcceptCallers(FOR_USER)
  listNoteMembers(request: notesV1.ListNoteMembersRequest): Promise<notesV1.ListNoteMembersResponse> {
    return this.members.list(request);
  }

  @AcceptCallers(FOR_USER)
  updateNoteMember(request: notesV1.UpdateNoteMemberRequest): Promise<notesV1.NoteMember> {
    return this.members.update(request);
  }

  @AcceptCallers(FOR_USER)
  async removeNoteMember(request: notesV1.RemoveNoteMemberRequest): Promise<commonV1.Empty> {
    await this.members.remove(request);
    return {};
  }

  @AcceptCallers(FOR_USER)
  acceptNoteInvitation(request: notesV1.AcceptNoteInvitationRequest): Promise<notesV1.Note> {
    return this.members.accept(request);
  }

  @AcceptCallers(FOR_USER)
  listSharedNotes(request: notesV1.ListSharedNotesRequest): Promise<notesV1.ListNotesResponse> {
    return this.members.listShared(request);
  }

  @AcceptCallers(FOR_USER)
  listNoteInvitations(request: notesV1.ListNoteInvitationsRequest): Promise<notesV1.ListNoteInvitationsResponse> {
    return this.members.listInvitations(request);
  }
}
