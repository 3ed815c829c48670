import type { InviteMemberRequest, MemberRole, UpdateMemberRequest } from '@micronote/contracts';
import { MEMBER_ROLES } from '@micronote/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

/** The longest login a user can have: an e-mail (RFC 5321's 254). */
const LOGIN_MAX = 254;

/** `POST /api/notes/:id/members`, `POST /api/lists/:id/members`. */
export class InviteMemberDto implements InviteMemberRequest {
  /** The invitee's username or e-mail (case-insensitive). */
  @ApiProperty({ example: 'alice', minLength: 1, maxLength: LOGIN_MAX })
  @IsString()
  @Length(1, LOGIN_MAX)
  user!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES, { message: `role must be one of ${MEMBER_ROLES.join(', ')}` })
  role!: MemberRole;
}

/** `PATCH /api/notes/:id/members/:userId`, `PATCH /api/lists/:id/members/:userId`. */
export class UpdateMemberDto implements UpdateMemberRequest {
  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES, { message: `role must be one of ${MEMBER_ROLES.join(', ')}` })
  role!: MemberRole;
}
