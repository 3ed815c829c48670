import { authV1, userV1 } from '@micronote/proto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { of } from 'rxjs';

import { createHttpTestApp, grpcStub } from '../testing/http-test-app';
import { AccountDataService } from './account-data.service';
import { AppImportService } from './imports/app-import.service';
import { UsersHttpController } from './users.http.controller';

const stored: userV1.User = {
  id: '1',
  name: 'Ada',
  email: 'ada@example.com',
  username: 'ada',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** The HTTP surface of the profile: validation, the proto patch fields, the REST user. */
describe(UsersHttpController.name, () => {
  let app: NestFastifyApplication;
  let token: string;
  const users = {
    getUser: jest.fn(() => of(stored)),
    updateUser: jest.fn((request: userV1.UpdateUserRequest) =>
      of({ ...stored, timeZone: request.timeZone?.value ?? undefined, locale: request.locale?.value ?? undefined }),
    ),
  };
  const patch = (payload: object) =>
    app.inject({ method: 'PATCH', url: '/api/users/me', headers: { authorization: `Bearer ${token}` }, payload });

  beforeAll(async () => {
    let sign: (userId: string) => Promise<string>;
    ({ app, token: sign } = await createHttpTestApp(
      [UsersHttpController],
      [
        grpcStub(authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME, {}),
        grpcStub(userV1.MICRONOTE_USER_V1_PACKAGE_NAME, users),
        { provide: AccountDataService, useValue: {} },
        { provide: AppImportService, useValue: {} },
      ],
    ));
    token = await sign('1');
  });

  beforeEach(() => jest.clearAllMocks());
  afterAll(() => app.close());

  it('GET answers timeZone and locale as null while unset', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...stored, timeZone: null, locale: null });
  });

  it('PATCH sends a value as a NullableString with it, null as one without, and leaves out what is absent', async () => {
    const response = await patch({ timeZone: ' Europe/Berlin ', locale: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ timeZone: 'Europe/Berlin', locale: null });
    const [request] = users.updateUser.mock.calls[0] as unknown as [userV1.UpdateUserRequest];
    expect(request).toMatchObject({ userId: '1', timeZone: { value: 'Europe/Berlin' }, locale: {} });
    expect(request.locale).toEqual({});
    await patch({ name: 'Ada L' });
    const [second] = users.updateUser.mock.calls[1] as unknown as [userV1.UpdateUserRequest];
    expect(second.timeZone).toBeUndefined();
    expect(second.locale).toBeUndefined();
  });

  it.each([
    [{ timeZone: 5 }, 'timeZone must be a string'],
    [{ timeZone: 'x'.repeat(65) }, 'timeZone must be shorter than or equal to 64 characters'],
    [{ locale: ['en'] }, 'locale must be a string'],
    [{ locale: 'x'.repeat(36) }, 'locale must be shorter than or equal to 35 characters'],
  ])('PATCH %j is 400 before any call', async (payload, message) => {
    const response = await patch(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.arrayContaining([message]) });
    expect(users.updateUser).not.toHaveBeenCalled();
  });
});
