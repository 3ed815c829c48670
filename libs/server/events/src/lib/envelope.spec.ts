import type { notesV1 } from '@micronote/proto';

import type { NoteEventEnvelope } from './envelope';
import { capEvent, EVENT_ENVELOPE_VERSION, parseEnvelope } from './envelope';

type NoteEnvelope = Omit<NoteEventEnvelope, 'v' | 'id' | 'at'>;

const note = (text: string): notesV1.Note => ({
  id: '5',
  title: 'a note',
  text,
  tags: ['t'],
  isPinned: false,
  isArchived: false,
  version: 4,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
});

describe(capEvent.name, () => {
  it('keeps an event of at most 8 KB whole', () => {
    const event = { type: 'NOTE_UPDATED' as const, userId: '1', noteId: '5', note: note('x'.repeat(7_000)), clientId: 'tab' };
    expect(capEvent(event)).toBe(event);
  });

  it('sends a larger note as id + version + truncated, keeping the rest of the envelope', () => {
    const capped = capEvent({ type: 'NOTE_UPDATED', userId: '1', noteId: '5', note: note('x'.repeat(100_000)), clientId: 'tab' });
    expect(capped).toEqual({ type: 'NOTE_UPDATED', userId: '1', noteId: '5', clientId: 'tab', version: 4, truncated: true });
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThan(200);
  });

  it('counts bytes, not characters: 5,000 four-byte characters are over the cap', () => {
    const event: NoteEnvelope = { type: 'NOTE_CREATED', userId: '1', noteId: '5', note: note('😀'.repeat(3_000)) };
    expect(capEvent(event).truncated).toBe(true);
  });

  it('caps a trashed note too (NOTE_DELETED keeps its id, so the client refetches rather than removing it)', () => {
    const capped = capEvent({
      type: 'NOTE_DELETED',
      userId: '1',
      noteId: '5',
      note: { ...note('y'.repeat(9_000)), deletedAt: '2026-01-03T00:00:00.000Z' },
    });
    expect(capped).toEqual({ type: 'NOTE_DELETED', userId: '1', noteId: '5', version: 4, truncated: true });
  });
});

describe(parseEnvelope.name, () => {
  it('reads an envelope of this version, and one from before the version field, with the stream id', () => {
    const json = JSON.stringify({ v: EVENT_ENVELOPE_VERSION, type: 'NOTE_CREATED', userId: '1', noteId: '5', at: 'now' });
    expect(parseEnvelope(json, '9-0')).toEqual({ v: 1, type: 'NOTE_CREATED', userId: '1', noteId: '5', at: 'now', id: '9-0' });
    expect(parseEnvelope(JSON.stringify({ type: 'NOTE_CREATED', userId: '1', noteId: '5', at: 'now', id: '9-1' }))?.v).toBe(1);
  });

  it('drops an envelope of a version it does not know', () => {
    expect(parseEnvelope(JSON.stringify({ v: EVENT_ENVELOPE_VERSION + 1, type: 'NOTE_CREATED', userId: '1' }), '9-0')).toBeUndefined();
  });
});
