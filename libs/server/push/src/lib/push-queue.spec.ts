import { PUSH_JOB_KEEP_S, PUSH_JOB_OPTIONS, pushJobId } from './push-queue';

describe(pushJobId.name, () => {
  it('turns a reminder key into a BullMQ job id (no `:`), the same key always into the same id', () => {
    expect(pushJobId('reminder:42:3')).toBe('reminder.42.3');
    expect(pushJobId('reminder:42:3')).toBe(pushJobId('reminder:42:3'));
  });

  it('refuses what is no key', () => {
    expect(() => pushJobId('')).toThrow();
    expect(() => pushJobId('a b')).toThrow();
  });

  it('keeps finished jobs a week, so a repeated enqueue of the same reminder is a no-op', () => {
    expect(PUSH_JOB_OPTIONS).toMatchObject({
      attempts: 5,
      removeOnComplete: { age: PUSH_JOB_KEEP_S },
      removeOnFail: { age: PUSH_JOB_KEEP_S },
    });
    expect(PUSH_JOB_KEEP_S).toBe(7 * 24 * 3600);
  });
});
