import type { CreateShareRequest, NoteBulkAction, NoteBulkRequest, RenameTagRequest } from '@micronote/contracts';
import { ID_PATTERN, NOTE_BULK_ACTIONS, NOTE_LIMITS } from '@micronote/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Validate,
  ValidateIf,
  ValidatorConstraint,
} from 'class-validator';

const TAG_ACTIONS: readonly NoteBulkAction[] = ['addTags', 'removeTags'];
const takesTags = (body: object) => TAG_ACTIONS.includes((body as NoteBulkDto).action);

/** `tags` with addTags / removeTags, and only with them. */
@ValidatorConstraint({ name: 'tagsMatchAction' })
class TagsMatchAction implements ValidatorConstraintInterface {
  validate(tags: unknown, args: ValidationArguments): boolean {
    return takesTags(args.object) ? tags !== undefined : tags === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    const action = String((args.object as NoteBulkDto).action);
    return takesTags(args.object) ? `tags are required with ${action}` : 'tags go with addTags and removeTags only';
  }
}

/** `POST /api/notes/tags/rename`. The tag paths themselves (levels, depth) are checked by notes-service. */
export class RenameTagDto implements RenameTagRequest {
  /** The tag to rename; its children (`from/…`) are renamed with it. */
  @IsString()
  @Length(NOTE_LIMITS.tags.min, NOTE_LIMITS.tags.max)
  from!: string;

  /** The new name (an existing tag merges: no note ends up with it twice). */
  @IsString()
  @Length(NOTE_LIMITS.tags.min, NOTE_LIMITS.tags.max)
  to!: string;
}

/** `POST /api/notes/bulk`: each id succeeds or fails on its own. */
export class NoteBulkDto implements NoteBulkRequest {
  @ApiProperty({ type: [String], minItems: 1, maxItems: NOTE_LIMITS.bulk.maxIds, uniqueItems: true, example: ['12', '15'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTE_LIMITS.bulk.maxIds)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @IsString({ each: true })
  @Matches(ID_PATTERN, { each: true, message: 'each of ids must be a positive integer id' })
  ids!: string[];

  @ApiProperty({ enum: NOTE_BULK_ACTIONS })
  @IsIn(NOTE_BULK_ACTIONS)
  action!: NoteBulkAction;

  /** Required with addTags / removeTags (at most 20 tags of 1..30 characters), refused with any other action. */
  @ApiPropertyOptional({ type: [String], maxItems: NOTE_LIMITS.tags.maxCount })
  @ValidateIf((body: NoteBulkDto) => takesTags(body) || body.tags !== undefined)
  @Validate(TagsMatchAction)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTE_LIMITS.tags.maxCount)
  @IsString({ each: true })
  @Length(NOTE_LIMITS.tags.min, NOTE_LIMITS.tags.max, { each: true })
  tags?: string[];
}

/** `POST /api/notes/:id/shares`. */
export class CreateShareDto implements CreateShareRequest {
  /** ISO-8601 date-time in the future; omitted or null: the link never expires. */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expiresAt?: string | null;
}
