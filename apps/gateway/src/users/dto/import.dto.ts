import { NOTE_LIMITS, TODO_LIMITS } from '@micronote/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** A note as exported. `id` and `createdAt` identify it, so importing it twice creates it once. */
export class ImportNoteDto {
  @IsString()
  @Length(1, 40)
  id!: string;

  @IsString()
  @Length(NOTE_LIMITS.title.min, NOTE_LIMITS.title.max)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @IsString()
  @MaxLength(NOTE_LIMITS.text.max)
  text!: string;

  @IsArray()
  @ArrayMaxSize(NOTE_LIMITS.tags.maxCount)
  @IsString({ each: true })
  @Length(NOTE_LIMITS.tags.min, NOTE_LIMITS.tags.max, { each: true })
  tags!: string[];

  @IsBoolean()
  isPinned!: boolean;

  @IsBoolean()
  isArchived!: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsISO8601({ strict: true })
  createdAt!: string;

  @IsISO8601({ strict: true })
  updatedAt!: string;

  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  deletedAt!: string | null;
}

/** A todo as exported. */
export class ImportTodoDto {
  @IsString()
  @Length(1, 40)
  id!: string;

  @IsString()
  @Length(TODO_LIMITS.text.min, TODO_LIMITS.text.max)
  text!: string;

  @IsBoolean()
  completed!: boolean;

  @IsIn(['low', 'medium', 'high'])
  priority!: 'low' | 'medium' | 'high';

  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  dueDate!: string | null;

  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(TODO_LIMITS.category.min, TODO_LIMITS.category.max)
  category!: string | null;

  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  completedAt!: string | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsISO8601({ strict: true })
  createdAt!: string;

  @IsISO8601({ strict: true })
  updatedAt!: string;
}

/** The document `GET /api/users/me/export` produces. The profile in it is not imported. */
export class ImportDocumentDto {
  @IsOptional()
  @IsIn(['micronote-export'])
  format?: string;

  @IsOptional()
  @IsIn([1])
  version?: number;

  @IsOptional()
  @IsISO8601()
  exportedAt?: string;

  @IsOptional()
  @IsObject()
  user?: Record<string, unknown>;

  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ImportNoteDto)
  notes!: ImportNoteDto[];

  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ImportTodoDto)
  todos!: ImportTodoDto[];
}

export class ExportQueryDto {
  /** `json` (default) or `markdown` (a zip of one .md per note plus todos.md). */
  @IsOptional()
  @IsIn(['json', 'markdown'])
  format?: 'json' | 'markdown';
}
