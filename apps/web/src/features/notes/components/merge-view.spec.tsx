import type { Note } from '@micronote/contracts';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { ApiError } from '../../../lib/api-error';
import { MergeView } from './merge-view';

const current = (patch: Partial<Note> = {}): Note => ({
  id: '7',
  title: 'Trip',
  text: 'pack\nbook train (theirs)\ncall mum\nend',
  tags: ['travel'],
  isPinned: false,
  isArchived: false,
  version: 5,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: new Date().toISOString(),
  deletedAt: null,
  ...patch,
});

const base = { title: 'Trip', text: 'pack\nbook train\ncall mum\nend', tags: ['travel'] };

describe(MergeView.name, () => {
  afterEach(cleanup);

  it('merges what does not overlap and shows each overlapping hunk as mine vs theirs; "Save merged" once all are decided', async () => {
    const onSave = jest.fn().mockResolvedValue(null);
    const mine = { title: 'Trip', text: 'pack\nbook train (mine)\ncall mum\nend (mine)', tags: ['travel', 'todo'] };
    render(<MergeView base={base} mine={mine} current={current()} onSave={onSave} />);
    const hunks = screen.getAllByRole('listitem');
    expect(hunks).toHaveLength(1);
    expect(within(hunks[0]).getByLabelText('Mine').textContent).toContain('book train (mine)');
    expect(within(hunks[0]).getByLabelText('Theirs').textContent).toContain('book train (theirs)');
    const save = screen.getByRole('button', { name: 'Save merged' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(screen.getByText('One place left to decide')).toBeTruthy();

    fireEvent.click(within(hunks[0]).getByRole('button', { name: 'Keep theirs' }));
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith({
        title: 'Trip',
        text: 'pack\nbook train (theirs)\ncall mum\nend (mine)',
        tags: ['travel', 'todo'],
      }),
    );
  });

  it('"Edit" lets the user write the hunk by hand, starting from both sides', async () => {
    const onSave = jest.fn().mockResolvedValue(null);
    render(
      <MergeView base={base} mine={{ ...base, text: 'pack\nbook train (mine)\ncall mum\nend' }} current={current()} onSave={onSave} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('The merged lines') as HTMLTextAreaElement;
    expect(box.value).toBe('book train (mine)\nbook train (theirs)');
    fireEvent.change(box, { target: { value: 'book train (both)' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save merged' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ text: 'pack\nbook train (both)\ncall mum\nend' })));
  });

  it('a title changed on both sides is a choice of its own; several hunks can be decided at once', async () => {
    const onSave = jest.fn().mockResolvedValue(null);
    const theirs = current({ title: 'Trip (theirs)', text: 'pack!\nbook train\ncall mum\nend!' });
    render(
      <MergeView
        base={base}
        mine={{ ...base, title: 'Trip (mine)', text: 'pack?\nbook train\ncall mum\nend?' }}
        current={theirs}
        onSave={onSave}
      />,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByText('Title')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Keep all mine' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save merged' }));
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith({ title: 'Trip (mine)', text: 'pack?\nbook train\ncall mum\nend?', tags: ['travel'] }),
    );
  });

  it('a failed save says so and keeps the choices', async () => {
    const onSave = jest
      .fn()
      .mockResolvedValue(new ApiError(503, { statusCode: 503, error: 'x', message: 'down', code: 'SERVICE_UNAVAILABLE' }));
    render(
      <MergeView base={base} mine={{ ...base, text: 'pack\nbook train (mine)\ncall mum\nend' }} current={current()} onSave={onSave} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Keep mine' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save merged' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Your text is still in the editor');
    expect((screen.getByRole('button', { name: 'Keep mine' }) as HTMLButtonElement).getAttribute('aria-pressed')).toBe('true');
  });

  it('with nothing overlapping (a strict 409) it offers the clean merge at once', async () => {
    const onSave = jest.fn().mockResolvedValue(null);
    render(
      <MergeView base={base} mine={{ ...base, text: 'pack\nbook train\ncall mum\nend (mine)' }} current={current()} onSave={onSave} />,
    );
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Save merged' }));
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ text: 'pack\nbook train (theirs)\ncall mum\nend (mine)' })),
    );
  });
});
