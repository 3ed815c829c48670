import type {
  CreateTodoRequest,
  ListTodosQuery,
  MoveTodoRequest,
  SnoozeTodoRequest,
  TodoBulkAction,
  TodoBulkRequest,
  TodoPriority,
  TodoView,
  UpdateTodoRequest,
} from '@micronote/contracts';
import { ID_PATTERN, TODO_BULK_ACTIONS, TODO_LIMITS } from '@micronote/contracts';
import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
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
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Query strings: exactly `true` or `false`; anything else stays a string and fails IsBoolean. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** Query strings: decimal digits only become a number; anything else fails IsInt. */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value);
/** Optional but not nullable: absent is fine, `null` is a 400. */
const unlessAbsent = (_: object, value: unknown) => value !== undefined;

const PRIORITIES = [...TODO_LIMITS.priorities];
const DATE_MESSAGE = (field: string) => `${field} must be a date (YYYY-MM-DD) or an ISO-8601 date-time`;
/** A reminder is at an instant: a date-time (with a time of day), the offset optional (none: UTC). */
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T/;
const INSTANT_MESSAGE = 'remindAt must be an ISO-8601 date-time (2026-05-01T09:00:00Z)';

export class CreateTodoDto implements CreateTodoRequest {
  /** 1..200 characters (trimmed). */
  @Transform(trim)
  @IsString()
  @Length(TODO_LIMITS.text.min, TODO_LIMITS.text.max)
  text!: string;

  /** low, medium (default) or high. */
  @ValidateIf(unlessAbsent)
  @IsIn(PRIORITIES)
  priority?: TodoPriority;

  /** `YYYY-MM-DD` (00:00 UTC that day) or an ISO-8601 date-time; returned as a UTC ISO time. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('dueDate') })
  @Matches(TODO_LIMITS.dueDate.pattern, { message: DATE_MESSAGE('dueDate') })
  dueDate?: string | null;

  /** Due on the date of `dueDate`, no time of day. Default: true for a date without a time. */
  @ValidateIf(unlessAbsent)
  @IsBoolean({ message: 'allDay must be true or false' })
  allDay?: boolean;

  /** Make it a subtask of this top-level todo (one level). On update, `null` makes it top-level. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'parentId must be a todo id' })
  parentId?: string | null;

  /** An RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=MO`, needs a dueDate); on update `null` stops it repeating. */
  @IsOptional()
  @IsString()
  @Length(1, TODO_LIMITS.recurrence.max)
  recurrence?: string | null;

  /** When to remind you (an ISO-8601 date-time); on update a new time re-arms it and `null` removes it. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  @Matches(TODO_LIMITS.dueDate.pattern, { message: INSTANT_MESSAGE })
  @Matches(INSTANT_PATTERN, { message: INSTANT_MESSAGE })
  remindAt?: string | null;

  /** 1..30 characters (trimmed), or null. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(TODO_LIMITS.category.min, TODO_LIMITS.category.max)
  category?: string | null;

  /** Create it in this list (yours, or one shared with you as editor); it is the list owner's todo. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'listId must be a list id' })
  listId?: string | null;
}

/** Any of the fields of a new todo (`null` clears dueDate and category, and is a 400 elsewhere), plus completed and version. */
export class UpdateTodoDto extends PartialType(CreateTodoDto, { skipNullProperties: false }) implements UpdateTodoRequest {
  /** Turning it true sets completedAt; turning it false clears it. */
  @ValidateIf(unlessAbsent)
  @IsBoolean()
  completed?: boolean;

  /** The version last read: if the todo has changed since, 409 with the stored todo in `current`. */
  @ValidateIf(unlessAbsent)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;
}

export class ListTodosQueryDto implements ListTodosQuery {
  /** `true` or `false`. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'completed must be true or false' })
  completed?: boolean;

  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: TodoPriority;

  /** Matches case-insensitively. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(TODO_LIMITS.category.min, TODO_LIMITS.category.max)
  category?: string;

  /** Todos due strictly before this time. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('dueBefore') })
  @Matches(TODO_LIMITS.dueDate.pattern, { message: DATE_MESSAGE('dueBefore') })
  dueBefore?: string;

  /** Todos due at or after this time. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('dueAfter') })
  @Matches(TODO_LIMITS.dueDate.pattern, { message: DATE_MESSAGE('dueAfter') })
  dueAfter?: string;

  /** `true`: only todos not completed whose due date has passed; `false`: all others. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  /** 1..100, default 20. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(TODO_LIMITS.pageSize.min)
  @Max(TODO_LIMITS.pageSize.max)
  limit?: number;

  /** `today`: open, due today or overdue; `upcoming`: open, due in the next 7 days (in the `X-Time-Zone` zone). */
  @IsOptional()
  @IsIn(['today', 'upcoming'], { message: 'view must be today or upcoming' })
  view?: TodoView;

  /** `manual`: by `position` (the order set with POST /api/todos/:id/move). */
  @IsOptional()
  @IsIn(['manual'], { message: 'order must be manual' })
  order?: 'manual';

  /** The subtasks of this todo; absent: top-level todos only. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'parentId must be a todo id' })
  parentId?: string;

  /** The todos of this list (any member); absent: your own todos (those in your lists too). */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'listId must be a list id' })
  listId?: string;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** `GET /api/todos/:id/completions`. */
export class ListCompletionsQueryDto {
  /** 1..100, default 50. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(TODO_LIMITS.completionsPage.min)
  @Max(TODO_LIMITS.completionsPage.max)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** Between two siblings; either may be left out (or null) at an end of the list. */
export class MoveTodoDto implements MoveTodoRequest {
  /** The todo it goes right after. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'after must be a todo id' })
  after?: string | null;

  /** The todo it goes right before. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'before must be a todo id' })
  before?: string | null;
}

/** `POST /api/todos/:id/snooze`. */
export class SnoozeTodoDto implements SnoozeTodoRequest {
  /** Minutes from now: 1..10080 (a week), default 10. */
  @ValidateIf(unlessAbsent)
  @IsInt({ message: 'minutes must be a whole number of minutes' })
  @Min(TODO_LIMITS.reminder.snoozeMinutes.min)
  @Max(TODO_LIMITS.reminder.snoozeMinutes.max)
  minutes?: number;
}

/** What `update` sets on every todo of a bulk request. */
export class TodoBulkFieldsDto extends PickType(UpdateTodoDto, ['priority', 'dueDate', 'allDay', 'category'] as const) {}

export class TodoBulkDto implements TodoBulkRequest {
  @ApiProperty({ type: [String], minItems: 1, maxItems: TODO_LIMITS.bulk.maxIds, uniqueItems: true, example: ['12', '15'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TODO_LIMITS.bulk.maxIds)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @IsString({ each: true })
  @Matches(ID_PATTERN, { each: true, message: 'each of ids must be a positive integer id' })
  ids!: string[];

  @ApiProperty({ enum: TODO_BULK_ACTIONS })
  @IsIn(TODO_BULK_ACTIONS)
  action!: TodoBulkAction;

  /** With `update` (at least one field); refused with the other actions. */
  @ValidateIf((body: TodoBulkDto) => body.action === 'update' || body.fields !== undefined)
  @IsObject({ message: 'fields must be an object of priority, dueDate, allDay, category (with update only)' })
  @ValidateNested()
  @Type(() => TodoBulkFieldsDto)
  fields?: TodoBulkFieldsDto;
}
