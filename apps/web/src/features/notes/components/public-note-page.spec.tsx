import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { PublicNotePage } from './public-note-page';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), refreshSession: jest.fn() },
}));

function setup(token = 'tok_1') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[`/s/${token}`]}>
        <Routes>
          <Route path="/s/:token" element={<PublicNotePage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe(PublicNotePage.name, () => {
  beforeEach(() => {
    jest.mocked(api.get).mockReset();
    jest.mocked(api.refreshSession).mockReset();
  });
  afterEach(cleanup);

  it('loads the note without a session and shows it rendered as Markdown, read-only, HTML as text', async () => {
    let resolve: (value: unknown) => void = () => undefined;
    jest.mocked(api.get).mockReturnValue(new Promise((r) => (resolve = r)));
    setup('tok_Ab-9');
    expect(screen.getByRole('status').textContent).toBe('Opening the shared note…');
    expect(api.get).toHaveBeenCalledWith('/api/public/notes/tok_Ab-9', expect.objectContaining({ auth: false }));

    resolve({
      title: 'Trip plan',
      text: '## Day 1\n\nPack **light**.\n<img src=x onerror=alert(1)>\n\n- [x] tickets\n- [ ] hotel\n\n[map](https://maps.example) [x](javascript:alert(1))',
      updatedAt: '2026-01-01T10:00:00.000Z',
    });
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Trip plan');
    expect(screen.getByText('Read-only')).toBeTruthy();
    expect(screen.getByText(/^Updated /).getAttribute('dateTime')).toBe('2026-01-01T10:00:00.000Z');
    // The renderer is loaded lazily, as in the editor.
    expect((await screen.findByRole('heading', { level: 2 })).textContent).toBe('Day 1');
    const body = document.querySelector('.public-note-text .markdown-body') as HTMLElement;
    expect(body.querySelector('strong')?.textContent).toBe('light');
    expect(body.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(body.querySelectorAll('img, script, [onerror]')).toHaveLength(0);
    expect([...body.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')])).toEqual([
      ['map', 'https://maps.example', 'noopener noreferrer'],
    ]);
    // The boxes show the text's state and cannot be ticked.
    const boxes = screen.getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((b) => [b.getAttribute('aria-label'), b.checked, b.disabled])).toEqual([
      ['tickets', true, true],
      ['hotel', false, true],
    ]);
    // No session machinery: no refresh, no editing, nothing sent.
    expect(api.refreshSession).not.toHaveBeenCalled();
    expect(api.get).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('a revoked or expired link (404) says the link no longer works', async () => {
    jest.mocked(api.get).mockRejectedValue(new ApiError(404, { message: 'Not found', code: 'NOTE_SHARE_NOT_FOUND' }));
    setup();
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('This link no longer works');
    expect(screen.getByRole('alert').textContent).toMatch(/revoked or has expired/);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('any other failure is an error with a retry', async () => {
    jest.mocked(api.get).mockRejectedValueOnce(new ApiError(429, { message: 'Too Many Requests', code: 'RATE_LIMITED' }));
    setup();
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('The shared note could not be loaded');
    expect(screen.getByRole('alert').textContent).toMatch(/Too many requests\. Wait a moment/);

    jest.mocked(api.get).mockResolvedValue({ title: 'Back', text: '', updatedAt: '2026-01-01T10:00:00.000Z' });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByRole('heading', { level: 1, name: 'Back' })).textContent).toBe('Back');
  });
});
