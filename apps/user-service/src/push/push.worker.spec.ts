import type { ReminderPushJob } from '@micronote/push';
import { verifyActionToken } from '@micronote/push';
import { serviceIdentityFromEnv } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import { sendNotification, WebPushError } from 'web-push';

import type { Env } from '../config/env.validation';
import { PushWorker } from './push.worker';
import type { PushSubscriptionsRepository, StoredPushSubscription } from './push-subscriptions.repository';

jest.mock('web-push', () => {
  const actual: object = jest.requireActual('web-push');
  return { ...actual, sendNotification: jest.fn() };
});
const send = sendNotification as jest.MockedFunction<typeof sendNotification>;

const subscription = (id: string): StoredPushSubscription => ({ id, endpoint: `https://push.example.com/${id}`, p256dh: 'p', auth: 'a' });
const gone = (status: number) => new WebPushError('gone', status, {}, '', 'https://push.example.com/x');

/** One attempt of a job: who gets it, what is dropped, what a retry skips. web-push and the table are mocked. */
describe(PushWorker.name, () => {
  const settings: Partial<Record<keyof Env, string>> = {
    VAPID_PUBLIC_KEY: 'BPub',
    VAPID_PRIVATE_KEY: 'priv',
    VAPID_SUBJECT: 'mailto:ops@example.com',
    PUSH_ALLOW_PRIVATE_ENDPOINTS: 'false',
  };
  const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
  const identity = serviceIdentityFromEnv('user-service', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 });
  let repo: { forUser: jest.Mock; drop: jest.Mock; markDelivered: jest.Mock };
  let worker: PushWorker;

  const job = (data: Partial<ReminderPushJob> = {}) => {
    const value = {
      id: 'reminder.42.1',
      attemptsMade: 0,
      timestamp: Date.now() - 100,
      data: {
        userId: '7',
        payload: { type: 'REMINDER', todoId: '42', text: 'Call mum', remindAt: '2026-12-04T20:00:00Z', dueDate: null, late: false },
        ...data,
      },
      updateData: jest.fn(async (next: ReminderPushJob) => void (value.data = next)),
    };
    return value as unknown as Job<ReminderPushJob> & { updateData: jest.Mock };
  };

  beforeEach(() => {
    send.mockReset();
    repo = { forUser: jest.fn(async () => [subscription('1'), subscription('2')]), drop: jest.fn(), markDelivered: jest.fn() };
    worker = new PushWorker(repo as unknown as PushSubscriptionsRepository, identity, config, { now: () => new Date() });
  });

  afterEach(() => worker.onApplicationShutdown());

  it('sends the payload with an action token to every subscription, TTL 24 h, urgency high, topic per todo', async () => {
    send.mockResolvedValue({ statusCode: 201, body: '', headers: {} });
    await expect(worker.process(job())).resolves.toEqual({ sent: 2, dropped: 0 });
    expect(send).toHaveBeenCalledTimes(2);
    const [target, body, options] = send.mock.calls[0] ?? [];
    expect(target).toEqual({ endpoint: 'https://push.example.com/1', keys: { p256dh: 'p', auth: 'a' } });
    expect(options).toMatchObject({ TTL: 86_400, urgency: 'high', topic: 'todo-42', vapidDetails: { subject: 'mailto:ops@example.com' } });
    const payload = JSON.parse(String(body)) as { actionToken: string; text: string };
    expect(payload.text).toBe('Call mum');
    const gateway = serviceIdentityFromEnv('gateway', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 });
    expect(verifyActionToken(gateway, payload.actionToken)).toMatchObject({ sub: '7', todoId: '42', reminder: 'reminder.42.1' });
    expect(repo.markDelivered).toHaveBeenCalledTimes(2);
  });

  it.each([404, 410])('drops a subscription answered %d, and the job succeeds', async (status) => {
    send.mockRejectedValueOnce(gone(status)).mockResolvedValueOnce({ statusCode: 201, body: '', headers: {} });
    await expect(worker.process(job())).resolves.toEqual({ sent: 1, dropped: 1 });
    expect(repo.drop).toHaveBeenCalledWith('1');
  });

  it('fails the attempt on another failure, remembering who got it, and the retry sends only to the rest', async () => {
    send.mockResolvedValueOnce({ statusCode: 201, body: '', headers: {} }).mockRejectedValueOnce(gone(500));
    const attempt = job();
    await expect(worker.process(attempt)).rejects.toThrow(/1 of 2 pushes failed: push service answered 500/);
    expect(attempt.updateData).toHaveBeenCalledWith(expect.objectContaining({ delivered: ['1'] }));
    send.mockReset().mockResolvedValue({ statusCode: 201, body: '', headers: {} });
    await expect(worker.process(attempt)).resolves.toEqual({ sent: 1, dropped: 0 });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0]).toMatchObject({ endpoint: 'https://push.example.com/2' });
  });

  it('drops a stored endpoint the SSRF rule refuses now, without sending', async () => {
    repo.forUser.mockResolvedValue([{ ...subscription('3'), endpoint: 'https://127.0.0.1/push' }]);
    await expect(worker.process(job())).resolves.toEqual({ sent: 0, dropped: 1 });
    expect(send).not.toHaveBeenCalled();
    expect(repo.drop).toHaveBeenCalledWith('3');
  });
});
