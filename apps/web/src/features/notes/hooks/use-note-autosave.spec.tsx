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

  it('saves a pause after the last edit, only what changed, with the version it started from', async () => {
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
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { text: 'milk, eggs, bread', version: 1 } });
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

  it('follows a newer version from elsewhere while nothing is unsaved, and keeps a draft that is (its save will conflict)', async () => {
    const { result, rerender } = setup();
    rerender({ current: note({ text: 'from another tab', version: 2 }) });
    expect(result.current.draft.text).toBe('from another tab');

    act(() => result.current.setDraft({ title: 'My title' }));
    rerender({ current: note({ text: 'again from the other tab', version: 3 }) });
    expect(result.current.draft).toMatchObject({ title: 'My title', text: 'from another tab' });
    await pause();
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { title: 'My title', version: 2 } });
  });

  it('sends unsaved edits when the editor closes', () => {
    const { result, unmount } = setup();
    act(() => result.current.setDraft({ text: 'typed and left at once' }));
    unmount();
    expect(updateNote).toHaveBeenCalledWith({ id: '7', patch: { text: 'typed and left at once', version: 1 } });
  });

  it('on a 409 shows the newer version; "keep mine" saves the draft over it', async () => {
    const theirs = note({ text: 'theirs', version: 5 });
    jest
      .mocked(updateNote)
      .mockRejectedValueOnce(
        new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'changed', code: 'NOTE_VERSION_CONFLICT', current: theirs }),
      )
      .mockImplementationOnce(async ({ patch }) => note({ ...patch, version: 6 }));
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'mine' }));
    await pause();
    expect(result.current.status).toBe('conflict');
    expect(result.current.conflict).toEqual(theirs);
    // Nothing more is sent until the user chooses.
    await pause(AUTOSAVE_DELAY_MS * 3);
    expect(updateNote).toHaveBeenCalledTimes(1);

    await act(async () => result.current.keepMine());
    await pause(0);
    expect(updateNote).toHaveBeenLastCalledWith({ id: '7', patch: { text: 'mine', version: 5 } });
    expect(result.current.status).toBe('saved');
    expect(result.current.conflict).toBeNull();
  });

  it('on a 409, "take theirs" drops the draft', async () => {
    const theirs = note({ text: 'theirs', version: 5 });
    jest
      .mocked(updateNote)
      .mockRejectedValueOnce(
        new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'changed', code: 'NOTE_VERSION_CONFLICT', current: theirs }),
      );
    const { result } = setup();
    act(() => result.current.setDraft({ text: 'mine' }));
    await pause();
    act(() => result.current.takeTheirs());
    expect(result.current.draft.text).toBe('theirs');
    expect(result.current.status).toBe('saved');
    await pause(AUTOSAVE_DELAY_MS * 2);
    expect(updateNote).toHaveBeenCalledTimes(1);
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
