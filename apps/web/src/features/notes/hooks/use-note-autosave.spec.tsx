import type { Note } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';

import { ApiError } from '../../../lib/api-error';
import { updateNote } from '../api/update-note';
import { AUTOSAVE_DELAY_MS, useNoteAutosave } from './use-note-autosave';

jest.mock('../api/update-note', () => ({ updateNote: jest.fn() }));

const note = (patch: Partial<Note> = {}): Note => ({
  id: '7',
  title: 'Groceries',
  text: 'milk',
  tags: ['home'],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  ...patch,
});

function setup(initial = note()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return renderHook(({ current }) => useNoteAutosave(current), { wrapper, initialProps: { current: initial } });
}

const pause = (ms = AUTOSAVE_DELAY_MS) => act(() => jest.advanceTimersByTimeAsync(ms));

describe(useNoteAutosave.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest
      .mocked(updateNote)
      .mockReset()
      .mockImplementation(async ({ patch }) => note({ ...patch, version: 99 }));
  });
  afterEach(() => {
    // Unmount now (an unsaved draft is flushed on unmount) while this test's mock is in place.
    cleanup();
    jest.useRealTimers();
  });

  it('saves a pause after the last edit, only what changed, with the version it started from as baseVersion', async () => {
    jest.mocked(updateNote).mockImplementation(async ({ patch }) => note({ ...patch, version: 2 }));
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'milk, eggs' }));
    expect(result.current.status).toBe('pending');
    await pause(AUTOSAVE_DELAY_MS - 100);
    act(() => result.current.setDraft({ text: 'milk, eggs, bread' }));
    await pause(AUTOSAVE_DELAY_MS - 100);
    expect(updateNote).not.toHaveBeenCalled();
    await pause(100);
    expect(updateNote).toHaveBeenCalledTimes(1);
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { text: 'milk, eggs, bread', baseVersion: 1 } });
    expect(result.current.status).toBe('saved');
    expect(result.current.base.version).toBe(2);
  });

  it('does not save an empty title', async () => {
    const { result } = setup();
    act(() => result.current.setDraft({ title: '  ' }));
    await pause(AUTOSAVE_DELAY_MS * 3);
    expect(updateNote).not.toHaveBeenCalled();
    expect(result.current.status).toBe('invalid');
  });

  it('follows a newer version from elsewhere while nothing is unsaved, and keeps a draft that is (its save merges on the server)', async () => {
    const { result, rerender } = setup();
    rerender({ current: note({ text: 'from another tab', version: 2 }) });
    expect(result.current.draft.text).toBe('from another tab');

    act(() => result.current.setDraft({ title: 'My title' }));
    rerender({ current: note({ text: 'again from the other tab', version: 3 }) });
    expect(result.current.draft).toMatchObject({ title: 'My title', text: 'from another tab' });
    await pause();
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { title: 'My title', baseVersion: 2 } });
  });

  it('sends unsaved edits when the editor closes', () => {
    const { result, unmount } = setup();
    act(() => result.current.setDraft({ text: 'typed and left at once' }));
    unmount();
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { text: 'typed and left at once', baseVersion: 1 } });
  });

  it('takes a merged answer into the draft, with a notice, and keeps what was typed during the save', async () => {
    let answer: (value: Awaited<ReturnType<typeof updateNote>>) => void = () => undefined;
    jest.mocked(updateNote).mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const { result } = setup(note({ text: 'one\ntwo\nthree' }));
    act(() => result.current.setDraft({ text: 'one\ntwo\nthree (mine)' }));
    await pause();
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { text: 'one\ntwo\nthree (mine)', baseVersion: 1 } });
    expect(result.current.status).toBe('saving');
    // Typed on while the save is under way (on another line than the other tab's change).
    act(() => result.current.setDraft({ text: 'one\ntwo\nthree (mine)\nfour' }));
    await act(async () => answer({ ...note({ text: 'ONE (theirs)\ntwo\nthree (mine)', version: 4 }), merged: true }));
    expect(result.current.draft.text).toBe('ONE (theirs)\ntwo\nthree (mine)\nfour');
    expect(result.current.base.version).toBe(4);
    expect(result.current.mergedAt).not.toBeNull();
    expect(result.current.status).toBe('pending');
    await pause();
    expect(updateNote).toHaveBeenLastCalledWith({ id: '7', patch: { text: 'ONE (theirs)\ntwo\nthree (mine)\nfour', baseVersion: 4 } });
    expect(result.current.base).not.toHaveProperty('merged');
  });

  it('on 409 MERGE_CONFLICT keeps the draft, sends nothing more, and saves the merge against the stored version', async () => {
    const current = note({ text: 'theirs', version: 5 });
    jest
      .mocked(updateNote)
      .mockRejectedValueOnce(
        new ApiError(409, {
          statusCode: 409,
          error: 'Conflict',
          message: 'overlapping edits',
          code: 'MERGE_CONFLICT',
          current,
          base: note(),
          conflicts: [{ field: 'text', base: { start: 0, end: 1 }, mine: { start: 0, end: 1 }, theirs: { start: 0, end: 1 } }],
        }),
      )
      .mockImplementationOnce(async ({ patch }) => note({ ...patch, version: 6 }));
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'mine' }));
    await pause();
    expect(result.current.status).toBe('conflict');
    expect(result.current.conflict).toEqual({ base: { title: 'Groceries', text: 'milk', tags: ['home'] }, current });
    expect(result.current.draft.text).toBe('mine');
    await pause(AUTOSAVE_DELAY_MS * 3);
    expect(updateNote).toHaveBeenCalledTimes(1);

    let failure: unknown = 'unset';
    await act(async () => {
      failure = await result.current.resolveConflict({ title: 'Groceries', text: 'mine and theirs', tags: ['home'] });
    });
    expect(failure).toBeNull();
    expect(updateNote).toHaveBeenLastCalledWith({ id: '7', patch: { text: 'mine and theirs', baseVersion: 5 } });
    expect(result.current.status).toBe('saved');
    expect(result.current.conflict).toBeNull();
    expect(result.current.draft.text).toBe('mine and theirs');
  });

  it('a failed "save merged" keeps the conflict and the draft; another overlapping change reopens it with the merge as mine', async () => {
    const conflictError = (current: Note, base: Note) =>
      new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'overlap', code: 'MERGE_CONFLICT', current, base, conflicts: [] });
    jest
      .mocked(updateNote)
      .mockRejectedValueOnce(conflictError(note({ text: 'theirs', version: 5 }), note()))
      .mockRejectedValueOnce(new ApiError(0, undefined, 'Network error'))
      .mockRejectedValueOnce(conflictError(note({ text: 'theirs again', version: 6 }), note({ text: 'theirs', version: 5 })));
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'mine' }));
    await pause();

    let failure: unknown;
    await act(async () => {
      failure = await result.current.resolveConflict({ title: 'Groceries', text: 'merged', tags: ['home'] });
    });
    expect(failure).toBeInstanceOf(ApiError);
    expect(result.current.status).toBe('conflict');
    expect(result.current.draft.text).toBe('mine');

    await act(async () => {
      failure = await result.current.resolveConflict({ title: 'Groceries', text: 'merged', tags: ['home'] });
    });
    expect(failure).toBeNull();
    expect(result.current.status).toBe('conflict');
    expect(result.current.draft.text).toBe('merged');
    expect(result.current.conflict?.current.version).toBe(6);
    expect(result.current.conflict?.base.text).toBe('theirs');
  });

  it('a strict 409 without a base merges against the version the draft started from', async () => {
    jest.mocked(updateNote).mockRejectedValueOnce(
      new ApiError(409, {
        statusCode: 409,
        error: 'Conflict',
        message: 'changed',
        code: 'NOTE_VERSION_CONFLICT',
        current: note({ text: 'x', version: 3 }),
      }),
    );
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'mine' }));
    await pause();
    expect(result.current.conflict?.base.text).toBe('milk');
  });

  it('pins without a version when nothing else changed (a pin cannot overwrite anybody’s text)', async () => {
    jest.mocked(updateNote).mockImplementation(async ({ patch }) => note({ ...patch, version: 2 }));
    const { result } = setup();
    await act(() => result.current.setFlags({ isPinned: true }));
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { isPinned: true } });
  });

  it('retries after a failed save', async () => {
    jest
      .mocked(updateNote)
      .mockRejectedValueOnce(
        new ApiError(503, { statusCode: 503, error: 'Service Unavailable', message: 'down', code: 'SERVICE_UNAVAILABLE' }),
      )
      .mockImplementationOnce(async ({ patch }) => note({ ...patch, version: 2 }));
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'eggs' }));
    await pause();
    expect(result.current.status).toBe('error');
    await pause(5_000);
    expect(updateNote).toHaveBeenCalledTimes(2);
    expect(result.current.status).toBe('saved');
  });
});
