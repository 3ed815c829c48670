import type { userV1 } from '@micronote/proto';

import type { GrpcCaller } from '../common/grpc/grpc-caller';
import { DIRECTORY_BATCH, UserDirectory } from './user-directory';

const ctx = { requestId: 'r1', userId: '1' };
const summary = (id: string, name = `Name ${id}`): userV1.UserSummary => ({ id, username: `user${id}`, name });

describe(UserDirectory.name, () => {
  let service: { findUser: jest.Mock; getUsers: jest.Mock };
  let grpc: { call: jest.Mock };
  let directory: UserDirectory;

  beforeEach(() => {
    service = {
      findUser: jest.fn(async () => summary('5', '')),
      getUsers: jest.fn(async ({ ids }: userV1.GetUsersRequest) => ({ items: ids.filter((id) => id !== '404').map((id) => summary(id)) })),
    };
    grpc = { call: jest.fn((client: Record<string, (r: unknown) => unknown>, method: string, request: unknown) => client[method](request)) };
    directory = new UserDirectory({ getService: () => service } as never, grpc as unknown as GrpcCaller);
    directory.onModuleInit();
  });

  it('finds a person by login through the GrpcCaller for the signed-in user; an empty name is a null displayName', async () => {
    await expect(directory.find('Ada@Example.com', ctx)).resolves.toEqual({ id: '5', username: 'user5', displayName: null });
    expect(grpc.call).toHaveBeenCalledWith(service, 'findUser', { login: 'Ada@Example.com', userId: '1' }, ctx);
  });

  it('passes NOT_FOUND through (the filter makes it 404 USER_NOT_FOUND)', async () => {
    const notFound = Object.assign(new Error('User not found'), { code: 5 });
    service.findUser.mockRejectedValueOnce(notFound);
    await expect(directory.find('nobody', ctx)).rejects.toBe(notFound);
  });

  it('maps ids to people, asking each id once and leaving unknown ones out', async () => {
    const people = await directory.summaries(['2', '3', '2', '404'], ctx);
    expect(service.getUsers).toHaveBeenCalledTimes(1);
    expect(service.getUsers).toHaveBeenCalledWith({ ids: ['2', '3', '404'], userId: '1' });
    expect([...people.keys()]).toEqual(['2', '3']);
    expect(people.get('3')).toEqual({ id: '3', username: 'user3', displayName: 'Name 3' });
  });

  it('asks nothing for no ids, and in chunks of the service cap for many', async () => {
    await expect(directory.summaries([], ctx)).resolves.toEqual(new Map());
    expect(service.getUsers).not.toHaveBeenCalled();
    const ids = Array.from({ length: DIRECTORY_BATCH * 2 + 1 }, (_, i) => String(i + 1));
    expect((await directory.summaries(ids, ctx)).size).toBe(ids.length - 1); // '404' is no user
    expect(service.getUsers.mock.calls.map(([r]) => (r as userV1.GetUsersRequest).ids.length)).toEqual([DIRECTORY_BATCH, DIRECTORY_BATCH, 1]);
  });
});
