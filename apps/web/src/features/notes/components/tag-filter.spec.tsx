import type { TagCount } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, useLocation, useSearchParams } from 'react-router-dom';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { noteFilters } from '../api/note-keys';
import { EXPANDED_TAGS_KEY } from '../hooks/use-expanded-tags';
import { TagFilter } from './tag-filter';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn() },
}));

const TAGS: TagCount[] = [
  { tag: 'work', count: 1 },
  { tag: 'work/meetings', count: 2 },
  { tag: 'work/projects/alpha', count: 3 },
  { tag: 'home', count: 4 },
];

function Harness() {
  const [params] = useSearchParams();
  const location = useLocation();
  return (
    <>
      <TagFilter filters={noteFilters({ tag: params.get('tag') })} />
      <output data-testid="location">{location.search}</output>
    </>
  );
}

function setup(initial = '/notes') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[initial]}>
        <Harness />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return client;
}

const item = (name: RegExp | string) => screen.getByRole('treeitem', { name });
const search = () => screen.getByTestId('location').textContent;
const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(document.activeElement as Element, { key: k, ...init });

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

describe(TagFilter.name, () => {
  beforeEach(() => {
    localStorage.clear();
    jest.mocked(api.get).mockReset().mockResolvedValue({ items: TAGS });
    jest.mocked(api.post).mockReset();
  });
  afterEach(cleanup);

  it('shows the roots, with subtree totals and a tooltip that says so', async () => {
    setup();
    const tree = await screen.findByRole('tree', { name: 'Tags' });
    const roots = within(tree).getAllByRole('treeitem');
    expect(roots.map((r) => r.getAttribute('aria-label'))).toEqual(['home, 4 notes', 'work, 6 notes']);
    expect(item(/^work/).getAttribute('aria-expanded')).toBe('false');
    expect(within(item(/^work/)).getByText('6').getAttribute('title')).toMatch(/added up.*1 note tagged “work” itself/);
  });

  it('moves with the arrow keys as the WAI-ARIA tree pattern says, and Enter filters', async () => {
    setup();
    await screen.findByRole('tree');
    // One tab stop: the first tag.
    expect(item(/^home/).tabIndex).toBe(0);
    expect(item(/^work/).tabIndex).toBe(-1);
    act(() => item(/^home/).focus());

    key('ArrowDown');
    expect(document.activeElement).toBe(item(/^work/));
    key('ArrowRight'); // opens
    expect(item(/^work/).getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(item(/^work/));
    key('ArrowRight'); // enters the first child
    expect(document.activeElement).toBe(item(/^meetings/));
    expect(item(/^meetings/).getAttribute('aria-level')).toBe('2');
    key('ArrowDown');
    expect(document.activeElement).toBe(item(/^projects/));
    key('ArrowRight');
    key('ArrowRight');
    expect(document.activeElement).toBe(item(/^alpha/));
    key('ArrowLeft'); // a leaf: to the parent
    expect(document.activeElement).toBe(item(/^projects/));
    key('ArrowLeft'); // open: closes
    expect(item(/^projects/).getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('treeitem', { name: /^alpha/ })).toBeNull();
    key('Home');
    expect(document.activeElement).toBe(item(/^home/));
    key('End');
    expect(document.activeElement).toBe(item(/^projects/));
    key('ArrowUp');
    expect(document.activeElement).toBe(item(/^meetings/));
    key('h'); // type-ahead
    expect(document.activeElement).toBe(item(/^home/));

    act(() => item(/^meetings/).focus());
    key('Enter');
    expect(search()).toBe('?tag=work%2Fmeetings');
    await waitFor(() => expect(item(/^meetings/).getAttribute('aria-selected')).toBe('true'));
    // The selected tag is the tab stop.
    expect(item(/^meetings/).tabIndex).toBe(0);
    // Choosing it again clears the filter.
    key('Enter');
    expect(search()).toBe('');
  });

  it('remembers open parents in localStorage, and opens the parents of the filtered tag', async () => {
    setup('/notes?tag=work%2Fprojects%2Falpha');
    await screen.findByRole('tree');
    await waitFor(() => expect(item(/^alpha/).getAttribute('aria-selected')).toBe('true'));
    expect(JSON.parse(localStorage.getItem(EXPANDED_TAGS_KEY) ?? '[]')).toEqual(expect.arrayContaining(['work', 'work/projects']));
    // A click on the chevron closes (and is remembered).
    fireEvent.click(item(/^work/).querySelector('.tag-node-toggle') as Element);
    expect(JSON.parse(localStorage.getItem(EXPANDED_TAGS_KEY) ?? '[]')).not.toContain('work');
    cleanup();

    localStorage.setItem(EXPANDED_TAGS_KEY, JSON.stringify(['work']));
    setup();
    await screen.findByRole('tree');
    expect(item(/^work/).getAttribute('aria-expanded')).toBe('true');
    expect(item(/^meetings/)).toBeTruthy();
  });

  it('renames from the menu, telling a merge apart, and follows the filter to the new name', async () => {
    jest.mocked(api.post).mockResolvedValue({ notes: 6 });
    setup('/notes?tag=work%2Fmeetings');
    await screen.findByRole('tree');
    fireEvent.click(screen.getByRole('button', { name: 'Actions for “work”' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Rename…' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename “work”' });
    const input = within(dialog).getByLabelText('New name');
    expect(within(dialog).getByText(/its 3 sub-tags with it/)).toBeTruthy();

    fireEvent.change(input, { target: { value: 'home' } });
    expect(within(dialog).getByText(/“home” already exists/)).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Merge' })).toBeTruthy();

    fireEvent.change(input, { target: { value: 'work/inner' } });
    expect(within(dialog).getByRole('alert').textContent).toBe('A tag cannot move under itself.');

    fireEvent.change(input, { target: { value: 'job' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notes/tags/rename', { from: 'work', to: 'job' }));
    await waitFor(() => expect(search()).toBe('?tag=job%2Fmeetings'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('F2 renames; a 400 shows its message in the dialog', async () => {
    jest.mocked(api.post).mockRejectedValue(new ApiError(400, { message: 'to must be at most 5 levels deep', code: 'VALIDATION' }));
    setup();
    await screen.findByRole('tree');
    act(() => item(/^home/).focus());
    key('F2');
    const dialog = screen.getByRole('dialog', { name: 'Rename “home”' });
    fireEvent.change(within(dialog).getByLabelText('New name'), { target: { value: 'house' } });
    fireEvent.submit(within(dialog).getByLabelText('New name').closest('form') as HTMLFormElement);
    expect((await within(dialog).findByRole('alert')).textContent).toBe('to must be at most 5 levels deep');
  });
});
