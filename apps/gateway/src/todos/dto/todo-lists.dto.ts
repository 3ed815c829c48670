import type { CreateTodoListRequest, UpdateTodoListRequest } from '@micronote/contracts';
import { TODO_LIST_LIMITS } from '@micronote/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `POST /api/lists`. Inviting and roles use the sharing DTOs (InviteMemberDto, UpdateMemberDto), as for notes. */
export class CreateTodoListDto implements CreateTodoListRequest {
  @ApiProperty({ example: 'Groceries', minLength: TODO_LIST_LIMITS.name.min, maxLength: TODO_LIST_LIMITS.name.max })
  @Transform(trim)
  @IsString()
  @Length(TODO_LIST_LIMITS.name.min, TODO_LIST_LIMITS.name.max, {
    message: `name must be ${TODO_LIST_LIMITS.name.min} to ${TODO_LIST_LIMITS.name.max} characters`,
  })
  name!: string;
}

/** `PATCH /api/lists/:id` (the owner renames). */
export class UpdateTodoListDto extends CreateTodoListDto implements UpdateTodoListRequest {}
