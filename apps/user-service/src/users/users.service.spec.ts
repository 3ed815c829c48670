import { DomainError, GrpcStatus } from '@micronote/server-core';
import { QueryFailedError } from 'typeorm';

import type { CredentialLock } from './credential-lock';
import { lockSubject } from './credential-lock';
import type { PasswordHasher } from './password-hasher';
import type { UserEntity } from './user.entity';
import { UsersService } from './users.service';

function entity(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: '7',
    name: 'Ada',
    email: 'ada@example.com',
    username: 'ada',
    passwordHash: 'hash:secret-password',
    timeZone: null,
    locale: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-02T00:00:00Z'),
    ...overrides,
  };
}

function duplicate(index: string): QueryFailedError {
  const driverError = Object.assign(new Error(`Duplicate entry for key '${index}'`), { code: 'ER_DUP_ENTRY' });
  return new QueryFailedError('INSERT', [], driverError);
}

describe(UsersService.name, () => {
  let repo: {
    create: jest.Mock;
    save: jest.Mock;
    find: jest.Mock;
    findOneBy: jest.Mock;
    findOneByOrFail: jest.Mock;
    manager: { transaction: jest.Mock };
  };
  let tx: { delete: jest.Mock };
  let purger: { runSoon: jest.Mock };
  let purges: { record: jest.Mock };
  let hasher: jest.Mocked<Pick<PasswordHasher, 'hash' | 'verify'>>;
  let service: UsersService;
  /** The credential lock: which subjects reserved an attempt, and which attempts were taken back. */
  let lock: { attempt: jest.Mock; reserved: string[]; released: string[] };

  beforeEach(() => {
    repo = {
      create: jest.fn((value: Partial<UserEntity>) => value),
      save: jest.fn(async (value: Partial<UserEntity>) => ({ ...value, id: '7' })),
      find: jest.fn(async () => [entity()]),
      findOneBy: jest.fn(async () => entity()),
      findOneByOrFail: jest.fn(async () => entity()),
      manager: { transaction: jest.fn(async (work: (m: typeof tx) => Promise<unknown>) => work(tx)) },
    };
    tx = { delete: jest.fn(async () => ({ affected: 1 })) };
    purger = { runSoon: jest.fn() };
    purges = { record: jest.fn(async () => undefined) };
    hasher = {
      hash: jest.fn(async (p: string) => `hash:${p}`),
      verify: jest.fn(async (hash: string | undefined, p: string) => hash === `hash:${p}`),
    };
    lock = {
      reserved: [],
      released: [],
      attempt: jest.fn(async (subject: string, ip: string) => {
        lock.reserved.push(`${subject}@${ip}`);
        return { release: async () => void lock.released.push(`${subject}@${ip}`) };
      }),
    };
    service = new UsersService(
      repo as never,
      hasher as unknown as PasswordHasher,
      purger as never,
      purges as never,
      { publish: jest.fn() } as never,
      lock as unknown as CredentialLock,
    );
  });

  const expectDomainError = async (promise: Promise<unknown>, code: string) => {
    await expect(promise).rejects.toBeInstanceOf(DomainError);
    await expect(promise).rejects.toMatchObject({ code });
  };

  it('normalises the e-mail, trims the name and hashes the password', async () => {
    await service.create({ name: '  Ada ', email: ' ADA@Example.COM ', username: 'ada', password: 'secret-password' });
    expect(repo.create).toHaveBeenCalledWith({
      name: 'Ada',
      email: 'ada@example.com',
      username: 'ada',
      passwordHash: 'hash:secret-password',
    });
  });

  it('returns ISO timestamps and never the hash', async () => {
    const user = await service.get('7');
    expect(user).toEqual({
      id: '7',
      name: 'Ada',
      email: 'ada@example.com',
      username: 'ada',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
  });

  it('maps unique-key violations to EMAIL_TAKEN and USERNAME_TAKEN', async () => {
    const input = { name: 'Ada', email: 'ada@example.com', username: 'ada', password: 'secret-password' };
    repo.save.mockRejectedValueOnce(duplicate('uq_users_email'));
    await expectDomainError(service.create(input), 'EMAIL_TAKEN');
    repo.save.mockRejectedValueOnce(duplicate('uq_users_username'));
    await expectDomainError(service.create(input), 'USERNAME_TAKEN');
  });

  it('lets other database errors through', async () => {
    repo.save.mockRejectedValueOnce(new Error('connection lost'));
    await expect(service.create({ name: 'A', email: 'a@b.co', username: 'abc', password: 'long-enough' })).rejects.toThrow(
      'connection lost',
    );
  });

  it('looks up e-mail logins lower-case and usernames as given', async () => {
    await service.verifyCredentials('ADA@EXAMPLE.COM', 'secret-password');
    expect(repo.findOneBy).toHaveBeenLastCalledWith({ email: 'ada@example.com' });
    await service.verifyCredentials('ada', 'secret-password');
    expect(repo.findOneBy).toHaveBeenLastCalledWith({ username: 'ada' });
  });

  it('checks a password even for an unknown login, and fails both the same way', async () => {
    repo.findOneBy.mockResolvedValueOnce(null);
    await expectDomainError(service.verifyCredentials('ghost', 'whatever'), 'INVALID_CREDENTIALS');
    expect(hasher.verify).toHaveBeenCalledWith(undefined, 'whatever');
    await expectDomainError(service.verifyCredentials('ada', 'wrong-password'), 'INVALID_CREDENTIALS');
  });

  it('refuses a wrong current password and a too-short new one', async () => {
    await expectDomainError(
      service.changePassword({ userId: '7', currentPassword: 'nope', newPassword: 'new-password', clientIp: '' }),
      'WRONG_PASSWORD',
    );
    await expectDomainError(
      service.changePassword({ userId: '7', currentPassword: 'secret-password', newPassword: 'short', clientIp: '' }),
      'VALIDATION_FAILED',
    );
    expect(repo.save).not.toHaveBeenCalled();
  });

  it('deletes only with the right password, recording the purge of notes and todos in the same transaction', async () => {
    await expectDomainError(service.delete('7', 'nope'), 'WRONG_PASSWORD');
    expect(repo.manager.transaction).not.toHaveBeenCalled();
    await service.delete('7', 'secret-password');
    expect(tx.delete).toHaveBeenCalledWith(expect.anything(), { id: '7' });
    expect(purges.record).toHaveBeenCalledWith('7', tx);
    expect(purger.runSoon).toHaveBeenCalled();
  });

  it('spends the resolved account budget on a wrong login (any spelling), and takes it back on a right one', async () => {
    await expectDomainError(service.verifyCredentials(' ADA ', 'wrong-password', '1.2.3.4'), 'INVALID_CREDENTIALS');
    await service.verifyCredentials('ada@example.com', 'secret-password', '1.2.3.4');
    expect(lock.reserved).toEqual(['user:7@1.2.3.4', 'user:7@1.2.3.4']);
    expect(lock.released).toEqual(['user:7@1.2.3.4']);
  });

  it('spends an unknown login budget under its normalised spelling', async () => {
    repo.findOneBy.mockResolvedValue(null);
    await expectDomainError(service.verifyCredentials(' Ghöst', 'whatever', '1.2.3.4'), 'INVALID_CREDENTIALS');
    await expectDomainError(service.verifyCredentials('GHOST ', 'whatever', '1.2.3.4'), 'INVALID_CREDENTIALS');
    expect(lock.reserved).toEqual([`${lockSubject(null, 'ghost')}@1.2.3.4`, `${lockSubject(null, 'ghost')}@1.2.3.4`]);
    expect(lock.released).toEqual([]);
  });

  it('a locked account is refused before any password is hashed', async () => {
    lock.attempt.mockRejectedValueOnce(new DomainError('RATE_LIMITED', 'locked', 8));
    await expectDomainError(service.verifyCredentials('ada', 'secret-password', '1.2.3.4'), 'RATE_LIMITED');
    expect(hasher.verify).not.toHaveBeenCalled();
  });

  it('password change and account deletion spend the same budget when the password is wrong', async () => {
    await expectDomainError(
      service.changePassword({ userId: '7', currentPassword: 'nope', newPassword: 'new-password', clientIp: '5.6.7.8' }),
      'WRONG_PASSWORD',
    );
    await expectDomainError(service.delete('7', 'nope', '5.6.7.8'), 'WRONG_PASSWORD');
    expect(lock.reserved).toEqual(['user:7@5.6.7.8', 'user:7@5.6.7.8']);
    expect(lock.released).toEqual([]);
    await service.changePassword({ userId: '7', currentPassword: 'secret-password', newPassword: 'new-password', clientIp: '5.6.7.8' });
    expect(lock.released).toEqual(['user:7@5.6.7.8']);
  });

  it('a new e-mail needs the current password, under the same budget', async () => {
    await expectDomainError(service.update({ userId: '7', email: 'new@example.com', clientIp: '' }), 'CURRENT_PASSWORD_REQUIRED');
    await expectDomainError(
      service.update({ userId: '7', email: 'new@example.com', currentPassword: 'nope', clientIp: '' }),
      'WRONG_PASSWORD',
    );
    expect(repo.save).not.toHaveBeenCalled();
    await service.update({ userId: '7', email: 'new@example.com', currentPassword: 'secret-password', clientIp: '' });
    expect(repo.save).toHaveBeenCalledWith(expect.objectContaining({ email: 'new@example.com' }));
    expect(lock.reserved).toEqual(['user:7@', 'user:7@']);
    expect(lock.released).toEqual(['user:7@']);
  });

  it('a taken e-mail or username spends the budget (no fast enumeration oracle); the same e-mail or a name needs no password', async () => {
    repo.save.mockRejectedValueOnce(duplicate('uq_users_email'));
    await expectDomainError(
      service.update({ userId: '7', email: 'bob@example.com', currentPassword: 'secret-password', clientIp: '' }),
      'EMAIL_TAKEN',
    );
    repo.save.mockRejectedValueOnce(duplicate('uq_users_username'));
    await expectDomainError(service.update({ userId: '7', username: 'bob', clientIp: '' }), 'USERNAME_TAKEN');
    expect(lock.reserved).toHaveLength(2);
    expect(lock.released).toEqual([]);
    await service.update({ userId: '7', name: 'Ada L', email: 'ADA@example.com', username: 'ada', clientIp: '' });
    expect(lock.reserved).toHaveLength(2);
  });

  describe('timeZone and locale', () => {
    it('are unset on the message while null, and answered as stored', async () => {
      await expect(service.get('7')).resolves.not.toHaveProperty('timeZone', expect.anything());
      repo.findOneBy.mockResolvedValue(entity({ timeZone: 'Europe/Berlin', locale: 'de-DE' }));
      await expect(service.get('7')).resolves.toMatchObject({ timeZone: 'Europe/Berlin', locale: 'de-DE' });
    });

    it('stores the canonical spellings, without touching the credential budget', async () => {
      await service.update({ userId: '7', timeZone: { value: 'europe/berlin' }, locale: { value: 'en-gb' }, clientIp: '' });
      expect(repo.save).toHaveBeenCalledWith(expect.objectContaining({ timeZone: 'Europe/Berlin', locale: 'en-GB' }));
      expect(lock.reserved).toEqual([]);
    });

    it('set without a value clears; unset leaves them as they are', async () => {
      repo.findOneBy.mockResolvedValue(entity({ timeZone: 'Europe/Berlin', locale: 'de-DE' }));
      await service.update({ userId: '7', timeZone: {}, clientIp: '' });
      expect(repo.save).toHaveBeenLastCalledWith(expect.objectContaining({ timeZone: null, locale: 'de-DE' }));
      repo.findOneBy.mockResolvedValue(entity({ timeZone: 'Europe/Berlin', locale: 'de-DE' }));
      await service.update({ userId: '7', name: 'Ada L', clientIp: '' });
      expect(repo.save).toHaveBeenLastCalledWith(expect.objectContaining({ timeZone: 'Europe/Berlin', locale: 'de-DE' }));
    });

    it.each([
      [{ timeZone: { value: 'Mars/Olympus' } }, /^timeZone must be an IANA time zone name/],
      [{ timeZone: { value: '+02:00' } }, /^timeZone must be/],
      [{ timeZone: { value: '' } }, /^timeZone must be/],
      [{ timeZone: { value: 'Europe/'.padEnd(65, 'x') } }, /^timeZone must be/],
      [{ locale: { value: 'en_US' } }, /^locale must be a BCP 47 language tag/],
      [{ locale: { value: '' } }, /^locale must be/],
    ])('refuses %j with VALIDATION_FAILED (INVALID_ARGUMENT) and saves nothing', async (fields, message) => {
      const update = service.update({ userId: '7', clientIp: '', ...fields });
      await expectDomainError(update, 'VALIDATION_FAILED');
      await expect(update).rejects.toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT, message: expect.stringMatching(message) });
      expect(repo.save).not.toHaveBeenCalled();
    });
  });

  it('answers USER_NOT_FOUND for a malformed id without querying', async () => {
    await expectDomainError(service.get('1 OR 1=1'), 'USER_NOT_FOUND');
    expect(repo.findOneBy).not.toHaveBeenCalled();
  });
  describe('the people directory', () => {
    it('finds a user by username or e-mail (the e-mail lower-cased, the username left to the column collation), never answering the e-mail', async () => {
      await expect(service.findUser(' ADA@Example.com ')).resolves.toEqual({ id: '7', username: 'ada', name: 'Ada' });
      expect(repo.findOneBy).toHaveBeenLastCalledWith({ email: 'ada@example.com' });
      await service.findUser('ADA');
      expect(repo.findOneBy).toHaveBeenLastCalledWith({ username: 'ADA' });
    });

    it('answers USER_NOT_FOUND for an unknown, empty or over-long login without asking for the last two', async () => {
      repo.findOneBy.mockResolvedValueOnce(null);
      await expectDomainError(service.findUser('nobody'), 'USER_NOT_FOUND');
      repo.findOneBy.mockClear();
      await expectDomainError(service.findUser('   '), 'USER_NOT_FOUND');
      await expectDomainError(service.findUser('x'.repeat(101)), 'USER_NOT_FOUND');
      expect(repo.findOneBy).not.toHaveBeenCalled();
    });

    it('resolves ids once each, leaving out malformed ones, and asks nothing for none', async () => {
      await expect(service.getUsers(['7', '7', 'abc', '0', '8'])).resolves.toEqual({ items: [{ id: '7', username: 'ada', name: 'Ada' }] });
      const where = (repo.find.mock.calls[0][0] as { where: { id: { value: string[] } } }).where.id.value;
      expect(where).toEqual(['7', '8']);
      repo.find.mockClear();
      await expect(service.getUsers(['nope'])).resolves.toEqual({ items: [] });
      await expect(service.getUsers([])).resolves.toEqual({ items: [] });
      expect(repo.find).not.toHaveBeenCalled();
    });

    it('refuses more than 500 ids in one call', async () => {
      await expectDomainError(service.getUsers(Array.from({ length: 501 }, (_, i) => String(i + 1))), 'VALIDATION_FAILED');
    });
  });
});
