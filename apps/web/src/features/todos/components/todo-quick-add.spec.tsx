import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { preferences } from '../../../lib/preferences';
import { loadQuickAddParser } from '../lib/use-quick-add-parser';
import { todoFixture } from '../testing/todo-fixtures';
import { TodoQuickAdd } from './todo-quick-add';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

/** Friday 4 December 2026, 16:00 in Berlin. */
const NOW = Date.parse('2026-12-04T15:00:00Z');
const EXAMPLE = 'Pay rent every month on the 1st at 9am !high #home';

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TodoQuickAdd categories={['Home', 'work']} />
    </QueryClientProvider>,
  );
  const input = screen.getByLabelText('New todo') as HTMLInputElement;
  return {
    input,
    type: (text: string) => {
      fireEvent.focus(input);
      fireEvent.change(input, { target: { value: text } });
    },
    chip: (name: RegExp | string) => screen.findByRole('button', { name }),
    posted: async () => {
      await waitFor(() => expect(api.post).toHaveBeenCalled());
      return jest.mocked(api.post).mock.calls[0][1];
    },
  };
}

describe(TodoQuickAdd.name, () => {
  // The parser's chunk (chrono-node) once, as the first focus would.
  beforeAll(() => loadQuickAddParser());
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    preferences.set({ timeZone: 'Europe/Berlin', locale: 'en-GB' });
    jest.mocked(api.post).mockReset().mockResolvedValue(todoFixture('9'));
  });
  afterEach(() => {
    cleanup();
    jest.restoreAllMocks();
  });

  it('shows what it read as chips and in the pickers, and sends it', async () => {
    const { type, chip, input, posted } = setup();
    type(EXAMPLE);
    expect(await chip(/^Due: Fri, 1 Jan 2027, 0?9:00, remove$/)).toBeTruthy();
    expect(await chip('Repeat: Every month on the 1st, remove')).toBeTruthy();
    expect(await chip('Priority: High, remove')).toBeTruthy();
    // The existing category's spelling.
    expect(await chip('Category: Home, remove')).toBeTruthy();
    expect((screen.getByLabelText('Priority') as HTMLSelectElement).value).toBe('high');
    expect((screen.getByLabelText('Due date') as HTMLInputElement).value).toBe('2027-01-01');
    expect((screen.getByLabelText('Time') as HTMLInputElement).value).toBe('09:00');
    expect(screen.getByRole('button', { name: 'Repeat: Every month on the 1st' }).getAttribute('aria-expanded')).toBe('false');
    expect((screen.getByLabelText('Category') as HTMLInputElement).value).toBe('Home');

    fireEvent.submit(input.form as HTMLFormElement);
    expect(await posted()).toEqual({
      text: 'Pay rent',
      priority: 'high',
      dueDate: '2027-01-01T08:00:00.000Z',
      allDay: false,
      category: 'Home',
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
    });
    // Ready for the next one: no chips, the pickers back to their defaults.
    await waitFor(() => expect(input.value).toBe(''));
    expect(screen.queryByRole('list', { name: 'Recognised in the text' })).toBeNull();
    expect((screen.getByLabelText('Priority') as HTMLSelectElement).value).toBe('medium');
  });

  it('keeps a removed chip’s words as text, and moves focus to the next chip', async () => {
    const { type, chip, input, posted } = setup();
    type('Buy milk tomorrow !low');
    const due = await chip(/^Due: .*, remove$/);
    due.focus();
    fireEvent.click(due);
    await waitFor(() => expect(screen.queryByRole('button', { name: /^Due:/ })).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Priority: Low, remove' }));
    // The last one: focus goes back to the line.
    fireEvent.click(screen.getByRole('button', { name: 'Priority: Low, remove' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Recognised in the text' })).toBeNull());
    expect(document.activeElement).toBe(input);
    // Typing on keeps "tomorrow" and "!low" literal.
    type('Buy milk tomorrow !low please');
    fireEvent.submit(input.form as HTMLFormElement);
    expect(await posted()).toEqual({ text: 'Buy milk tomorrow !low please', priority: 'medium' });
  });

  it('lets a picker set for this todo win over the text', async () => {
    const { type, chip, input, posted } = setup();
    type('Call Bob tomorrow !high');
    await chip('Priority: High, remove');
    fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'low' } });
    expect(await chip('Priority: High (overridden by the picker), remove')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Due date'), { target: { value: '2026-12-24' } });
    fireEvent.submit(input.form as HTMLFormElement);
    expect(await posted()).toEqual({ text: 'Call Bob', priority: 'low', dueDate: '2026-12-24', allDay: true });
  });

  it('sends no repeat when the due date picker is cleared (a rule needs a date)', async () => {
    const { type, chip, input, posted } = setup();
    type('Stretch every day');
    await chip('Repeat: Every day, remove');
    fireEvent.change(screen.getByLabelText('Due date'), { target: { value: '' } });
    expect(await chip('Repeat: Every day (overridden by the picker), remove')).toBeTruthy();
    fireEvent.submit(input.form as HTMLFormElement);
    expect(await posted()).toEqual({ text: 'Stretch', priority: 'medium' });
  });

  it('keeps quoted words, and asks for words when only parts are left', async () => {
    const { type, chip, input, posted } = setup();
    type('tomorrow !high');
    await chip('Priority: High, remove');
    fireEvent.submit(input.form as HTMLFormElement);
    expect(await screen.findByText(/Add a few words besides/)).toBeTruthy();
    expect(api.post).not.toHaveBeenCalled();
    type('Watch "next friday" tomorrow');
    await chip(/^Due: Sat,? 5 Dec, remove$/);
    fireEvent.submit(input.form as HTMLFormElement);
    expect(await posted()).toEqual({ text: 'Watch "next friday"', priority: 'medium', dueDate: '2026-12-05', allDay: true });
  });
});
