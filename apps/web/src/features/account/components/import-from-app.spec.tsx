import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { ImportFromApp } from './import-from-app';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { post: jest.fn() },
}));

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ImportFromApp />
    </QueryClientProvider>,
  );
}

const pick = (file: File) => fireEvent.change(screen.getByLabelText(/^File:/), { target: { files: [file] } });

describe(ImportFromApp.name, () => {
  beforeEach(() => jest.mocked(api.post).mockReset());
  afterEach(cleanup);

  it('sends the picked file raw with its source, shows progress, then the counts and warnings', async () => {
    let answer!: (value: unknown) => void;
    jest.mocked(api.post).mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    setup();
    const importButton = () => screen.getByRole('button', { name: /^Import from|Importing/ }) as HTMLButtonElement;
    expect(importButton().disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Evernote' }));
    expect((screen.getByLabelText(/^File:/) as HTMLInputElement).accept).toBe('.enex,application/xml,text/xml');
    const file = new File(['<en-export/>'], 'notes.enex');
    pick(file);
    fireEvent.click(screen.getByRole('button', { name: 'Import from Evernote' }));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Uploading and importing notes.enex' })).toBeTruthy());
    expect(importButton().textContent).toContain('Importing…');
    expect(importButton().disabled).toBe(true);
    expect(api.post).toHaveBeenCalledWith('/api/users/me/import', undefined, {
      query: { from: 'enex' },
      upload: file,
      contentType: 'application/xml',
    });
    answer({ notes: 3, todos: 0, skipped: 1, warnings: ['“Trip”: 1 attachment left out'] });
    expect(await screen.findByText('3 notes imported, 1 skipped.')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Import warnings' }).textContent).toBe('“Trip”: 1 attachment left out');
  });

  it('sends a Todoist export as it is (a .csv or a backup .zip) and counts the todos', async () => {
    jest.mocked(api.post).mockResolvedValue({ notes: 0, todos: 7, skipped: 0, warnings: ['1 comment (note rows) left out'] });
    setup();
    fireEvent.click(screen.getByRole('radio', { name: 'Todoist' }));
    expect((screen.getByLabelText(/^File:/) as HTMLInputElement).accept).toBe('.csv,text/csv,.zip,application/zip');
    const file = new File(['TYPE,CONTENT\ntask,Milk'], 'Groceries.csv', { type: 'text/csv' });
    pick(file);
    fireEvent.click(screen.getByRole('button', { name: 'Import from Todoist' }));
    expect(await screen.findByText('7 todos imported, 0 skipped.')).toBeTruthy();
    expect(api.post).toHaveBeenCalledWith('/api/users/me/import', undefined, {
      query: { from: 'todoist' },
      upload: file,
      contentType: 'application/octet-stream',
    });
    expect(screen.getByRole('list', { name: 'Import warnings' }).textContent).toBe('1 comment (note rows) left out');
  });

  it('says when everything was there already', async () => {
    jest.mocked(api.post).mockResolvedValue({ notes: 0, todos: 0, skipped: 4 });
    setup();
    pick(new File(['PK'], 'takeout.zip'));
    fireEvent.submit(screen.getByRole('button', { name: 'Import from Google Keep' }));
    expect(await screen.findByText(/0 notes imported, 4 skipped \(already here/)).toBeTruthy();
    expect(api.post).toHaveBeenCalledWith(
      '/api/users/me/import',
      undefined,
      expect.objectContaining({ query: { from: 'keep' }, contentType: 'application/zip' }),
    );
  });

  it('shows the reason of a refused file', async () => {
    jest
      .mocked(api.post)
      .mockRejectedValue(new ApiError(400, { message: 'The zip has no Markdown files (.md)', code: 'IMPORT_FILE_INVALID' }));
    setup();
    fireEvent.click(screen.getByRole('radio', { name: 'Markdown files' }));
    pick(new File(['PK'], 'vault.zip'));
    fireEvent.click(screen.getByRole('button', { name: 'Import from Markdown files' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Import failed: The zip has no Markdown files (.md)');
  });

  it('refuses a file over 50 MiB without sending it', async () => {
    setup();
    const big = new File(['x'], 'huge.zip');
    Object.defineProperty(big, 'size', { value: 51 * 1024 * 1024 });
    pick(big);
    fireEvent.click(screen.getByRole('button', { name: 'Import from Google Keep' }));
    expect((await screen.findByRole('alert')).textContent).toContain('larger than 50 MiB');
    expect(api.post).not.toHaveBeenCalled();
  });

  it('is made of native, labelled controls (keyboard reachable)', () => {
    setup();
    expect(screen.getAllByRole('radio').map((r) => r.getAttribute('aria-checked') ?? (r as HTMLInputElement).checked)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(screen.getByRole('group', { name: 'From' })).toBeTruthy();
    expect(screen.getByLabelText(/^File:/).tagName).toBe('INPUT');
  });
});
