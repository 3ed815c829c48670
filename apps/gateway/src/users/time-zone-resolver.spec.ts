import type { userV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';

import type { GrpcCaller } from '../common/grpc/grpc-caller';
import { DEFAULT_TIME_ZONE, INVALID_TIME_ZONE, TimeZoneResolver } from './time-zone-resolver';

const ctx = { requestId: 'r1' };
const profile = (timeZone?: string): userV1.User => ({
  id: '7',
  name: 'Ada',
  email: 'ada@example.com',
  username: 'ada',
  timeZone,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe(TimeZoneResolver.name, () => {
  let service: { getUser: jest.Mock };
  let grpc: { call: jest.Mock };
  let resolver: TimeZoneResolver;

  beforeEach(() => {
    service = { getUser: jest.fn(async () => profile('Europe/Berlin')) };
    grpc = {
      call: jest.fn((client: Record<string, (r: unknown) => unknown>, method: string, request: unknown) => client[method](request)),
    };
    resolver = new TimeZoneResolver({ getService: () => service } as never, grpc as unknown as GrpcCaller);
    resolver.onModuleInit();
  });

  it('the header wins, in Intl spelling, without asking user-service', async () => {
    await expect(resolver.resolve('7', 'america/new_york', ctx)).resolves.toBe('America/New_York');
    await expect(resolver.resolve('7', ' Asia/Tokyo ', ctx)).resolves.toBe('Asia/Tokyo');
    await expect(resolver.resolve('7', 'UTC', ctx)).resolves.toBe('UTC');
    expect(grpc.call).not.toHaveBeenCalled();
  });

  it.each([['Mars/Olympus'], ['+02:00'], ['CEST'], ['Europe/Berlin, UTC'], ['x'.repeat(65)], [['UTC', 'Europe/Berlin']]])(
    'answers 400 INVALID_TIME_ZONE for the header %j',
    async (header) => {
      const resolved = resolver.resolve('7', header, ctx);
      await expect(resolved).rejects.toBeInstanceOf(DomainError);
      await expect(resolved).rejects.toMatchObject({
        code: INVALID_TIME_ZONE,
        status: GrpcStatus.INVALID_ARGUMENT,
        message: expect.stringMatching(/^X-Time-Zone must be one IANA time zone name/),
      });
      expect(grpc.call).not.toHaveBeenCalled();
    },
  );

  it("without a header (or a blank one), the profile's zone, asked for the signed-in user with the request id", async () => {
    await expect(resolver.resolve('7', undefined, ctx)).resolves.toBe('Europe/Berlin');
    await expect(resolver.resolve('7', '  ', ctx)).resolves.toBe('Europe/Berlin');
    expect(grpc.call).toHaveBeenCalledWith(service, 'getUser', { userId: '7' }, { requestId: 'r1', userId: '7' });
  });

  it('UTC when the profile has none (or one this Intl no longer knows)', async () => {
    service.getUser.mockResolvedValueOnce(profile(undefined));
    await expect(resolver.resolve('7', undefined, ctx)).resolves.toBe(DEFAULT_TIME_ZONE);
    service.getUser.mockResolvedValueOnce(profile('Atlantis/Capital'));
    await expect(resolver.resolve('7', undefined, ctx)).resolves.toBe('UTC');
  });

  it('passes a user-service failure on rather than guessing UTC', async () => {
    const unavailable = Object.assign(new Error('unavailable'), { code: GrpcStatus.UNAVAILABLE });
    service.getUser.mockRejectedValueOnce(unavailable);
    await expect(resolver.resolve('7', undefined, ctx)).rejects.toBe(unavailable);
  });
});
