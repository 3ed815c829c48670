import { EMAIL_PATTERN, USER_LIMITS } from '@micronote/contracts';
import type { userV1 } from '@micronote/proto';
import { EventLog } from '@micronote/server-core';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';

import { AccountPurger } from '../accounts/account-purger';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UserErrors } from './users.errors';

export function toUserMessage(user: UserEntity): userV1.User {
  return {
    id: String(user.id),
    name: user.name,
    email: user.email,
    username: user.username,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < USER_LIMITS.name.min || trimmed.length > USER_LIMITS.name.max) {
    throw UserErrors.invalid(`name must be ${USER_LIMITS.name.min} to ${USER_LIMITS.name.max} characters`);
  }
  return trimmed;
}

function checkEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised.length > USER_LIMITS.email.max || !EMAIL_PATTERN.test(normalised)) {
    throw UserErrors.invalid(`email must be a valid address of at most ${USER_LIMITS.email.max} characters`);
  }
  return normalised;
}

function checkUsername(username: string): string {
  if (!USER_LIMITS.username.pattern.test(username)) {
    throw UserErrors.invalid('username must be 3 to 20 letters, digits or underscores');
  }
  return username;
}

function checkPassword(password: string, field = 'password'): string {
  if (password.length < USER_LIMITS.password.min || password.length > USER_LIMITS.password.max) {
    throw UserErrors.invalid(`${field} must be ${USER_LIMITS.password.min} to ${USER_LIMITS.password.max} characters`);
  }
  return password;
}

/** Turns a unique-key violation into EMAIL_TAKEN / USERNAME_TAKEN; rethrows anything else. */
function rethrowDuplicate(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
    throw /uq_users_email/.test(error.message) ? UserErrors.emailTaken() : UserErrors.usernameTaken();
  }
  throw error;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly purger: AccountPurger,
    private readonly events: EventLog,
  ) {}

  async create(request: userV1.CreateUserRequest): Promise<userV1.User> {
    const entity = this.users.create({
      name: checkName(request.name),
      email: checkEmail(request.email),
      username: checkUsername(request.username),
      passwordHash: await this.hasher.hash(checkPassword(request.password)),
    });
    const saved = await this.users.save(entity).catch(rethrowDuplicate);
    return toUserMessage(await this.users.findOneByOrFail({ id: saved.id }));
  }

  async verifyCredentials(login: string, password: string): Promise<userV1.User> {
    const trimmed = login.trim();
    const user =
      trimmed.length === 0 || trimmed.length > USER_LIMITS.email.max
        ? null
        : await this.users.findOneBy(trimmed.includes('@') ? { email: trimmed.toLowerCase() } : { username: trimmed });
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !ok) throw UserErrors.invalidCredentials();
    return toUserMessage(user);
  }

  async get(userId: string): Promise<userV1.User> {
    return toUserMessage(await this.find(userId));
  }

  async update(request: userV1.UpdateUserRequest): Promise<userV1.User> {
    const user = await this.find(request.userId);
    if (request.name !== undefined) user.name = checkName(request.name);
    if (request.email !== undefined) user.email = checkEmail(request.email);
    if (request.username !== undefined) user.username = checkUsername(request.username);
    await this.users.save(user).catch(rethrowDuplicate);
    const updated = toUserMessage(await this.find(request.userId));
    await this.events.publish({ type: 'USER_UPDATED', userId: updated.id, user: updated });
    return updated;
  }

  async changePassword(request: userV1.ChangePasswordRequest): Promise<void> {
    const user = await this.find(request.userId);
    if (!(await this.hasher.verify(user.passwordHash, request.currentPassword))) throw UserErrors.wrongPassword();
    user.passwordHash = await this.hasher.hash(checkPassword(request.newPassword, 'newPassword'));
    await this.users.save(user);
  }

  /**
   * Deletes the profile and, in the same transaction, records the purge of the user's notes and
   * todos, which AccountPurger then carries out (and retries) in their services.
   */
  async delete(userId: string, password: string): Promise<void> {
    const user = await this.find(userId);
    if (!(await this.hasher.verify(user.passwordHash, password))) throw UserErrors.wrongPassword();
    await this.users.manager.transaction(async (manager) => {
      await manager.delete(UserEntity, { id: user.id });
      await manager.query('INSERT IGNORE INTO account_purges (user_id) VALUES (?)', [user.id]);
    });
    this.purger.runSoon();
  }

  private async find(userId: string): Promise<UserEntity> {
    const user = /^[1-9][0-9]{0,19}$/.test(userId) ? await this.users.findOneBy({ id: userId }) : null;
    if (!user) throw UserErrors.notFound();
    return user;
  }
}
