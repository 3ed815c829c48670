import type { ImportSource } from '@micronote/contracts';
import { IMPORT_SOURCES, TODO_LIMITS } from '@micronote/contracts';
import type { PipeTransform } from '@nestjs/common';
import { Injectable, ValidationPipe } from '@nestjs/common';
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
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { CreateNoteDto } from '../../notes/dto/notes.dto';
import { CreateTodoDto } from '../../todos/dto/todos.dto';

/** A note as exported: a new note's fields, plus where it came from. `id` and `createdAt` identify it, so importing it twice creates it once. */
export class ImportNoteDto extends CreateNoteDto {
  @IsString()
  @Length(1, 40)
  id!: string;

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

/** A todo as exported: a new todo's fields, plus its state and where it came from. */
export class ImportTodoDto extends CreateTodoDto {
  @IsString()
  @Length(1, 40)
  id!: string;

  @IsBoolean()
  completed!: boolean;

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

  /** Read back from an export and not imported: imported todos go after yours, in the document's order. */
  @IsOptional()
  @IsString()
  @MaxLength(TODO_LIMITS.position.max)
  position?: string;

  /** Read back from an export and not imported (counted again from the imported todos). */
  @IsOptional()
  @IsObject()
  subtasks?: { total: number; completed: number };
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

export class ImportQueryDto {
  /**
   * Another app's file as the raw body: a Google Takeout zip of Keep, an Evernote .enex, a zip of
   * Markdown files (notes), or Todoist's CSV export of a project or a zip of such CSVs (todos:
   * sections become categories, INDENT 2 subtasks, `every …` dates repetitions). Without it, the
   * body is an exported MicroNote document (JSON).
   */
  @IsOptional()
  @IsIn(IMPORT_SOURCES)
  from?: ImportSource;
}

const documentPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/**
 * The body of `POST /users/me/import`: a file (a Buffer, from the import body parser) as it is, or
 * JSON validated as an {@link ImportDocumentDto} exactly as the global pipe would.
 */
@Injectable()
export class ImportBodyPipe implements PipeTransform<unknown, Promise<ImportDocumentDto | Buffer>> {
  async transform(value: unknown): Promise<ImportDocumentDto | Buffer> {
    if (Buffer.isBuffer(value)) return value;
    return (await documentPipe.transform(value, { type: 'body', metatype: ImportDocumentDto })) as ImportDocumentDto;
  }
}
