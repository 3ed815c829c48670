import type { CreateNoteRequest, NoteListQuery, TickTaskRequest, UpdateNoteRequest } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import { PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/** Optional but not nullable: absent is fine, `null` is a 400. */
export const unlessAbsent = (_: object, value: unknown) => value !== undefined;

/** Query-string booleans: exactly `true` or `false`; anything else fails IsBoolean. */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateNoteDto implements CreateNoteRequest {
  /** 1..100 characters. */
  @IsString()
  @Length(NOTE_LIMITS.title.min, NOTE_LIMITS.title.max)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  /** 0..100,000 characters. */
  @IsString()
  @MaxLength(NOTE_LIMITS.text.max)
  text!: string;

  /** At most 20 tags of 1..30 characters; trimmed and de-duplicated. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NOTE_LIMITS.tags.maxCount)
  @IsString({ each: true })
  @Length(NOTE_LIMITS.tags.min, NOTE_LIMITS.tags.max, { each: true })
  tags?: string[];

  @IsOptional()
  @IsBoolean()
  isPinned?: boolean;
}

/** Any of the fields of a new note (sent ones must be valid: `null` is a 400), plus archive and version. */
export class UpdateNoteDto extends PartialType(CreateNoteDto, { skipNullProperties: false }) implements UpdateNoteRequest {
  @ValidateIf(unlessAbsent)
  @IsBoolean()
  isArchived?: boolean;

  /** The version this edit is based on; a stale one is 409 with `current`. */
  @ValidateIf(unlessAbsent)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  /**
   * The version this edit started from, instead of `version`: when the note has moved on, the
   * edit is three-way merged into it (200 with `merged: true`, or 409 MERGE_CONFLICT).
   */
  @ValidateIf(unlessAbsent)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  baseVersion?: number;
}

/** `POST /api/notes/:id/tasks`: the task item as the client saw it. */
export class TickTaskDto implements TickTaskRequest {
  /** The item's position among the note's task items (0-based). */
  @IsInt()
  @Min(0)
  @Max(NOTE_LIMITS.text.max)
  index!: number;

  /** The item's text (after `- [ ] `). */
  @IsString()
  @Length(1, NOTE_LIMITS.text.max)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  @IsBoolean()
  checked!: boolean;
}

export class ListRevisionsQueryDto {
  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class ListNotesQueryDto implements NoteListQuery {
  /** Full-text search over title and text (most relevant first). */
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_LIMITS.query.max)
  q?: string;

  @IsOptional()
  @IsString()
  @Length(NOTE_LIMITS.tags.min, NOTE_LIMITS.tags.max)
  tag?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  pinned?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  archived?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  trashed?: boolean;

  /** 1..100, default 20. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(NOTE_LIMITS.pageSize.min)
  @Max(NOTE_LIMITS.pageSize.max)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** `GET /api/notes/shared`: keyset pages of the notes shared with the caller (the list's `limit` and `cursor`). */
export class SharedNotesQueryDto extends PickType(ListNotesQueryDto, ['limit', 'cursor'] as const) {}

export class DeleteNoteQueryDto {
  /** `true`: delete for good instead of moving to the trash. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  permanent?: boolean;
}
