import { EMAIL_PATTERN, USER_LIMITS } from '@micronote/contracts';
import { EventLog } from '@micronote/events';
import type { userV1 } from '@micronote/proto';
import { canonicalLocale, canonicalTimeZone, DomainError } from '@micronote/server-core';
import { isId } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository } from 'typeorm';

import { AccountPurger } from '../accounts/account-purger';
import { AccountPurgesRepository } from '../accounts/account-purges.repository';
import type { CredentialAttempt } from './credential-lock';
import { CredentialLock, lockSubject } from './credential-lock';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UserErrors } from './users.errors';

export function toUserMessage(user: UserEntity): userV1.User {
  return {
    id: String(user.id),
    name: user.name,
    email: user.email,
    username: user.username,
    timeZone: user.timeZone ?? undefined,
    locale: user.locale ?? undefined,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function toUserSummary(user: Pick<UserEntity, 'id' | 'username' | 'name'>): userV1.UserSummary {
  return { id: String(user.id), username: user.username, name: user.name };
}

/** GetUsers answers at most this many ids per call (a page of members, a page of notifications). */
export const MAX_USERS_PER_CALL = 500;

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

/** An IANA zone name that Intl knows, stored as Intl spells it (`europe/berlin` → `Europe/Berlin`). */
function checkTimeZone(timeZone: string): string {
  const canonical = canonicalTimeZone(timeZone);
  if (canonical === null) {
    throw UserErrors.invalid(
      `timeZone must be an IANA time zone name such as Europe/Berlin or UTC (at most ${USER_LIMITS.timeZone.max} characters), or null`,
    );
  }
  return canonical;
}

/** A BCP 47 tag that Intl accepts, stored canonical (`en-gb` → `en-GB`). */
function checkLocale(locale: string): string {
  const canonical = canonicalLocale(locale);
  if (canonical === null) {
    throw UserErrors.invalid(
      `locale must be a BCP 47 language tag such as en-GB or de (at most ${USER_LIMITS.locale.max} characters), or null`,
    );
  }
  return canonical;
}

/** A patch field: unset leaves it, set without a value clears it, a value is checked. */
function patch<T>(field: userV1.NullableString | null | undefined, check: (value: string) => T): T | null | undefined {
  if (field === undefined || field === null) return undefined;
  return field.value === undefined || field.value === null ? null : check(field.value);
}

const LOGIN_LOCKED = 'Too many failed sign-ins for this login, try again later';
const ACCOUNT_LOCKED = 'Too many wrong passwords or conflicts for this account, try again later';

/** Failures that spend the credential budget: a wrong password, and a taken e-mail/username (else a 50 req/s enumeration oracle). */
function spendsBudget(error: unknown): boolean {
  return error instanceof DomainError && ['WRONG_PASSWORD', 'EMAIL_TAKEN', 'USERNAME_TAKEN'].includes(error.code);
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
    private readonly purges: AccountPurgesRepository,
    private readonly events: EventLog,
    private readonly lock: CredentialLock,
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

  /**
   * Resolves the login to an account, reserves one attempt of that account's (or, unknown, that
   * login's) failure budget for this client address, then checks the password: a right one takes
   * the attempt back, a wrong one keeps it. A spent budget answers RATE_LIMITED before any hashing.
   */
  async verifyCredentials(login: string, password: string, clientIp = ''): Promise<userV1.User> {
    const user = await this.byLogin(login);
    const attempt = await this.lock.attempt(lockSubject(user ? String(user.id) : null, login), clientIp, LOGIN_LOCKED);
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !ok) throw UserErrors.invalidCredentials();
    await attempt.release();
    return toUserMessage(user);
  }

  async get(userId: string): Promise<userV1.User> {
    return toUserMessage(await this.find(userId));
  }

  /** The people directory: one user by username or e-mail (case-insensitive), never their e-mail. */
  async findUser(login: string): Promise<userV1.UserSummary> {
    const user = await this.byLogin(login);
    if (!user) throw UserErrors.notFound();
    return toUserSummary(user);
  }

  /** The users of these ids (deduplicated); unknown or malformed ids are left out. */
  async getUsers(ids: readonly string[]): Promise<userV1.GetUsersResponse> {
    if (ids.length > MAX_USERS_PER_CALL) throw UserErrors.invalid(`at most ${MAX_USERS_PER_CALL} ids per call`);
    const wanted = [...new Set(ids.filter((id) => isId(id)))];
    if (wanted.length === 0) return { items: [] };
    const rows = await this.users.find({ select: { id: true, username: true, name: true }, where: { id: In(wanted) } });
    return { items: rows.map(toUserSummary) };
  }

  /**
   * Updates the given fields (timeZone and locale: set without a value clears; stored canonical).
   * A new e-mail needs the current password; changing the e-mail or the username spends the
   * account's credential budget when the password is wrong or the value is taken (so a conflict is
   * no fast enumeration oracle), and takes the attempt back otherwise.
   */
  async update(request: userV1.UpdateUserRequest): Promise<userV1.User> {
    const user = await this.find(request.userId);
    const name = request.name === undefined ? undefined : checkName(request.name);
    const email = request.email === undefined ? undefined : checkEmail(request.email);
    const username = request.username === undefined ? undefined : checkUsername(request.username);
    const timeZone = patch(request.timeZone, checkTimeZone);
    const locale = patch(request.locale, checkLocale);
    const emailChanges = email !== undefined && email !== user.email;
    const usernameChanges = username !== undefined && username !== user.username;
    if (emailChanges && !request.currentPassword) throw UserErrors.currentPasswordRequired();
    const attempt =
      emailChanges || usernameChanges ? await this.lock.attempt(lockSubject(String(user.id)), request.clientIp, ACCOUNT_LOCKED) : null;
    try {
      if (emailChanges && !(await this.hasher.verify(user.passwordHash, request.currentPassword ?? ''))) throw UserErrors.wrongPassword();
      if (name !== undefined) user.name = name;
      if (email !== undefined) user.email = email;
      if (username !== undefined) user.username = username;
      if (timeZone !== undefined) user.timeZone = timeZone;
      if (locale !== undefined) user.locale = locale;
      await this.users.save(user).catch(rethrowDuplicate);
    } catch (error) {
      if (!spendsBudget(error)) await attempt?.release();
      throw error;
    }
    await attempt?.release();
    const updated = toUserMessage(await this.find(request.userId));
    await this.events.publish({ type: 'USER_UPDATED', userId: updated.id, user: updated });
    return updated;
  }

  async changePassword(request: userV1.ChangePasswordRequest): Promise<void> {
    const user = await this.find(request.userId);
    const newPassword = checkPassword(request.newPassword, 'newPassword');
    await this.checkPassword(user, request.currentPassword, request.clientIp);
    user.passwordHash = await this.hasher.hash(newPassword);
    await this.users.save(user);
  }

  /**
   * Deletes the profile and, in the same transaction, records the purge of the user's notes and
   * todos, which AccountPurger then carries out (and retries) in their services.
   */
  async delete(userId: string, password: string, clientIp = ''): Promise<void> {
    const user = await this.find(userId);
    await this.checkPassword(user, password, clientIp);
    await this.users.manager.transaction(async (manager) => {
      await manager.delete(UserEntity, { id: user.id });
      await this.purges.record(user.id, manager);
    });
    this.purger.runSoon();
  }

  /** The current password of a signed-in user, under the same failure budget as sign-in. */
  private async checkPassword(user: UserEntity, password: string, clientIp: string): Promise<void> {
    const attempt: CredentialAttempt = await this.lock.attempt(lockSubject(String(user.id)), clientIp, ACCOUNT_LOCKED);
    if (!(await this.hasher.verify(user.passwordHash, password))) throw UserErrors.wrongPassword();
    await attempt.release();
  }

  /** A login is a username (the column's collation ignores case) or an e-mail (stored lower-case). */
  private async byLogin(login: string): Promise<UserEntity | null> {
    const trimmed = login.trim();
    if (trimmed.length === 0 || trimmed.length > USER_LIMITS.email.max) return null;
    return this.users.findOneBy(trimmed.includes('@') ? { email: trimmed.toLowerCase() } : { username: trimmed });
  }

  private async find(userId: string): Promise<UserEntity> {
    const user = isId(userId) ? await this.users.findOneBy({ id: userId }) : null;
    if (!user) throw UserErrors.notFound();
    return user;
  }
}
