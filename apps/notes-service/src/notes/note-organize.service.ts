import type { NoteBulkAction } from '@micronote/contracts';
import { ErrorCode, NOTE_BULK_ACTIONS, NOTE_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, withClient } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import { bulkEach, checkUserId } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';

import { NoteAccess } from './note-access';
import { checkTag, checkTagPath, normalizeTags, renamedTag, sameTag } from './note-input';
import { NoteOrganizeRepository } from './note-organize.repository';
import { NoteErrors } from './notes.errors';
import { NotesService } from './notes.service';

/** How often a rename or tag change of one note is tried again after a concurrent edit moved it on. */
const MAX_ATTEMPTS = 5;

const TAG_ACTIONS: ReadonlySet<string> = new Set<NoteBulkAction>(['addTags', 'removeTags']);

const isConflict = (error: unknown) => error instanceof DomainError && error.code === ErrorCode.NoteVersionConflict;
const isNotFound = (error: unknown) => error instanceof DomainError && error.status === GrpcStatus.NOT_FOUND;
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((tag, i) => tag === b[i]);

/**
 * Changes to many notes at once: a tag rename and the bulk actions. Every change of a note goes
 * through NotesService's own update / delete / restore (its transaction, version bump, quota,
 * revisions and event), one note at a time in order; nothing here writes notes with a statement
 * of its own. A change computed from what the note was (its tags) is sent with that `version` and
 * computed again if another edit got there first, so no concurrent edit is lost.
 */
@Injectable()
export class NoteOrganizeService {
  constructor(
    private readonly notes: NotesService,
    private readonly repo: NoteOrganizeRepository,
    private readonly feed: ChangeFeed,
    private readonly access: NoteAccess,
  ) {}

  /**
   * Renames `from` and its children (`from/…` becomes `to/…`) on every note of the user, the trash
   * included; a note that already has the new name keeps it once (merged). One NOTE_UPDATED per
   * note changed, then one TAGS_RENAMED. A `from` no note carries changes nothing (0 notes).
   */
  async renameTag(request: notesV1.RenameTagRequest): Promise<notesV1.RenameTagResponse> {
    const userId = checkUserId(request.userId);
    // `from` only has to name a tag that may exist (renaming is how an odd old tag gets fixed).
    const from = request.from.trim();
    if (from.length === 0) throw NoteErrors.invalid('from must not be empty');
    checkTag(from, `from must be at most ${NOTE_LIMITS.tags.max} characters`);
    const to = checkTag(checkTagPath(request.to.trim(), 'to'), `to must be at most ${NOTE_LIMITS.tags.max} characters`);
    if (from === to) throw NoteErrors.invalid('from and to are the same tag');
    // Every new name must be a valid tag before any note changes (no half-done rename for a long child).
    for (const tag of await this.repo.tagsWithin(userId, from)) {
      const renamed = renamedTag(tag, from, to);
      if (renamed !== undefined) normalizeTags([renamed]);
    }
    let changed = 0;
    for (const id of await this.repo.noteIdsWithTag(userId, from)) {
      const done = await this.retagged(userId, id, request.clientId, (tags) => tags.map((tag) => renamedTag(tag, from, to) ?? tag), {
        inTrash: true,
      });
      if (done) changed += 1;
    }
    if (changed > 0) {
      await this.feed.changed(CacheScope.Notes, userId, { type: 'TAGS_RENAMED', userId, from, to, ...withClient(request.clientId) });
    }
    return { notes: changed };
  }

  /**
   * One action on each id, in order, each succeeding or failing on its own as its single call
   * would (its gRPC status and domain code). A failure of the infrastructure (the database gone)
   * ends the call: the items before it stay done, and sending the same request again is safe.
   */
  async bulk(request: notesV1.BulkNotesRequest): Promise<notesV1.BulkNotesResponse> {
    const userId = checkUserId(request.userId);
    let tags: string[] = [];
    const check = (action: NoteBulkAction) => {
      if (TAG_ACTIONS.has(action)) {
        tags = normalizeTags(request.tags);
        if (tags.length === 0) throw NoteErrors.invalid(`${action} needs tags`);
      } else if (request.tags.length > 0) {
        throw NoteErrors.invalid('tags go with addTags and removeTags only');
      }
    };
    return bulkEach(request, { actions: NOTE_BULK_ACTIONS, maxIds: NOTE_LIMITS.bulk.maxIds, check }, (id, action) =>
      this.apply(userId, id, action, tags, request.clientId),
    );
  }

  private async apply(userId: string, id: string, action: NoteBulkAction, tags: string[], clientId: string): Promise<void> {
    // Bulk actions are the owner's: a member's item is INSUFFICIENT_ROLE, a stranger's NOTE_NOT_FOUND.
    await this.access.require(userId, id, 'owner', 'bulk actions on this note');
    const update = (change: Pick<notesV1.UpdateNoteRequest, 'isPinned' | 'isArchived'>) =>
      this.notes.update({ userId, id, clientId, ...change });
    switch (action) {
      case 'pin':
        await update({ isPinned: true });
        return;
      case 'unpin':
        await update({ isPinned: false });
        return;
      case 'archive':
        await update({ isArchived: true });
        return;
      case 'unarchive':
        await update({ isArchived: false });
        return;
      case 'trash':
        await this.notes.delete({ userId, id, permanent: false, clientId });
        return;
      case 'delete':
        await this.notes.delete({ userId, id, permanent: true, clientId });
        return;
      case 'restore':
        await this.notes.restore({ userId, id, clientId });
        return;
      case 'addTags':
        // normalizeTags keeps the note's spelling of a tag it has, and refuses a 21st tag (400 for this item).
        await this.retagged(userId, id, clientId, (current) => [...current, ...tags], { strict: true });
        return;
      case 'removeTags':
        await this.retagged(userId, id, clientId, (current) => current.filter((tag) => !tags.some((gone) => sameTag(gone, tag))), {
          strict: true,
        });
        return;
    }
  }

  /**
   * Sets the note's tags to `change(its tags)` through NotesService.update with the version they
   * were read at, again (up to MAX_ATTEMPTS) when a concurrent edit moved it on. False when the
   * tags stay as they are, or (unless `strict`) when the note is gone meanwhile.
   */
  private async retagged(
    userId: string,
    id: string,
    clientId: string,
    change: (tags: string[]) => string[],
    options: { inTrash?: boolean; strict?: boolean },
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const note = await this.notes.get(userId, id);
        const tags = normalizeTags(change(note.tags));
        if (sameList(tags, note.tags)) {
          // No change, but a bulk item on a trashed note answers as its PATCH would.
          if (options.strict && note.deletedAt) throw NoteErrors.inTrash();
          return false;
        }
        await this.notes.update({ userId, id, tags: { tags }, version: note.version, clientId }, { inTrash: options.inTrash });
        return true;
      } catch (error) {
        if (isConflict(error) && attempt < MAX_ATTEMPTS) continue;
        if (isNotFound(error) && !options.strict) return false;
        throw error;
      }
    }
  }
}
