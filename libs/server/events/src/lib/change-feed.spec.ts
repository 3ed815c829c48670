import { ChangeFeed } from './change-feed';
import type { EventLog } from './event-log';
import type { ReadCache } from './read-cache';

describe(ChangeFeed.name, () => {
  const event = { type: 'NOTE_CREATED' as const, userId: 'u1', noteId: '1' };

  function feed(separate: boolean) {
    const order: string[] = [];
    let finishInvalidate: () => void = () => undefined;
    const cache = {
      separate,
      invalidate: jest.fn(() => new Promise<void>((resolve) => (finishInvalidate = () => (order.push('invalidated'), resolve())))),
    };
    const events = { publish: jest.fn(async () => (order.push('published'), [])) };
    return { feed: new ChangeFeed(cache as unknown as ReadCache, events as unknown as EventLog), order, finish: () => finishInvalidate() };
  }

  it('with a cache Redis of its own, publishes the event only after the invalidation is done', async () => {
    const { feed: changeFeed, order, finish } = feed(true);
    const done = changeFeed.changed('notes', 'u1', event);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    finish();
    await done;
    expect(order).toEqual(['invalidated', 'published']);
  });

  it('on the one Redis connection, sends both at once (they run in order there)', async () => {
    const { feed: changeFeed, order, finish } = feed(false);
    const done = changeFeed.changed('notes', 'u1', event);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['published']);
    finish();
    await done;
  });
});
