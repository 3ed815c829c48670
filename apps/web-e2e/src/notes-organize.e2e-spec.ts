import type { AuthResponse, Note, Page as NotePage } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import { apiCall, firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';

const listItem = (page: Page, title: string) => page.locator('.note-list .note-item', { hasText: title });
const treeItem = (page: Page, name: RegExp) => page.getByRole('treeitem', { name });

/** Share links, the tag tree's rename and bulk actions, as a user does them in the browser. */
describe('organizing and sharing notes in the browser', () => {
  let context: BrowserContext;
  let page: Page;
  let auth: AuthResponse;
  const user = newUser('Katherine Johnson');

  const create = async (title: string, text: string, tags: string[] = []): Promise<Note> => {
    const created = await apiCall<Note>(auth.accessToken, 'POST', '/api/notes', { title, text, tags });
    expect(created.status).toBe(201);
    return created.body;
  };

  beforeAll(async () => {
    auth = await registerByApi(user);
    context = await launch();
    page = await firstPage(context);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('shares a note: the link opens without signing in, and stops working once revoked', async () => {
    const note = await create(
      'Launch window',
      'Liftoff at **09:32**.\nSame paragraph.\n\n- [x] fuel\n- [ ] go\n\n<script>window.__pwned = 1</script> [x](javascript:alert(1))',
    );
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: WEB_URL });
    await signIn(page, user);
    await listItem(page, 'Launch window').click();
    await page.waitForURL(new RegExp(`/notes/${note.id}`));

    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “Launch window”' });
    await dialog.getByText('No active links. This note is private.').waitFor();
    await dialog.getByLabel('Link expires').selectOption('7');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const link = dialog.getByLabel('New share link');
    await link.waitFor();
    const url = await link.inputValue();
    expect(new URL(url).pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{20,}$/);
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await dialog
      .getByRole('list', { name: 'Active links' })
      .getByText(/Expires /)
      .waitFor();
    await screenshot(page, '20-share-dialog');

    // Someone else, in a browser that never signed in: the note, read-only.
    const stranger = await launch();
    try {
      const other = await firstPage(stranger);
      const requests: string[] = [];
      other.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await other.goto(`${WEB_URL}${new URL(url).pathname}`);
      await other.getByRole('heading', { level: 1, name: 'Launch window' }).waitFor();
      // Rendered as in the editor's preview (loaded lazily), read-only.
      const body = other.locator('.public-note-text .markdown-body');
      await body.locator('strong', { hasText: '09:32' }).waitFor();
      expect(await body.locator('p').first().textContent()).toBe('Liftoff at 09:32.\nSame paragraph.');
      const boxes = body.getByRole('checkbox');
      expect(await boxes.count()).toBe(2);
      expect(await body.getByRole('checkbox', { name: 'fuel' }).isChecked()).toBe(true);
      expect(await body.getByRole('checkbox', { name: 'fuel' }).isDisabled()).toBe(true);
      expect(await body.getByRole('checkbox', { name: 'go' }).isDisabled()).toBe(true);
      await body.getByText('<script>window.__pwned = 1</script>').waitFor();
      expect(await body.locator('a, script').count()).toBe(0);
      expect(await other.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await other.getByText('Read-only').waitFor();
      await screenshot(other, '21-shared-note');
      // No session machinery on the public page: no refresh, no socket.
      expect(requests.filter((p) => p.startsWith('/api/auth') || p.startsWith('/socket.io'))).toEqual([]);

      // Revoked (after confirming) in the owner's dialog: the link is dead.
      await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
      await dialog.getByRole('button', { name: 'Revoke link' }).click();
      await dialog.getByText('No active links. This note is private.').waitFor();
      await other.reload();
      await other.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
      await screenshot(other, '22-shared-note-revoked');
    } finally {
      await stranger.close();
    }
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('renames a parent tag from the tag tree: its children move with it', async () => {
    const alpha = await create('Alpha plan', 'a', ['project/alpha']);
    const beta = await create('Beta plan', 'b', ['project/beta']);
    await page.goto(`${WEB_URL}/notes`);
    const parent = treeItem(page, /^project, 2 notes$/);
    await parent.waitFor();

    // Open it with the keyboard (the tree pattern): focus, then →.
    await parent.focus();
    await page.keyboard.press('ArrowRight');
    await treeItem(page, /^alpha, 1 note$/).waitFor();
    await treeItem(page, /^beta, 1 note$/).waitFor();

    await parent.locator('.tag-node-row').first().hover();
    await page.getByRole('button', { name: 'Actions for “project”' }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename “project”' });
    await dialog.getByText(/its 2 sub-tags with it/).waitFor();
    await dialog.getByLabel('New name').fill('work/projects');
    await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByText(/Renamed “project” to “work\/projects” on 2 notes/).waitFor();

    // The old parent is gone; the children are under the new one (opened where the old one was).
    await treeItem(page, /^project,/).waitFor({ state: 'detached' });
    await treeItem(page, /^work, 2 notes$/).waitFor();
    await treeItem(page, /^alpha, 1 note$/).waitFor();
    expect(await treeItem(page, /^alpha, 1 note$/).getAttribute('aria-level')).toBe('3');
    await screenshot(page, '23-tag-tree-renamed');

    for (const [note, tag] of [
      [alpha, 'work/projects/alpha'],
      [beta, 'work/projects/beta'],
    ] as const) {
      expect((await apiCall<Note>(auth.accessToken, 'GET', `/api/notes/${note.id}`)).body.tags).toEqual([tag]);
    }
    // The parent's filter covers its children. Its own row: the open treeitem's box also holds
    // its children's rows, and a click in its middle lands on one of them.
    await treeItem(page, /^work, 2 notes$/)
      .locator('.tag-node-row')
      .first()
      .click();
    await page.waitForURL(/[?&]tag=work(&|$)/);
    expect(await treeItem(page, /^work, 2 notes$/).getAttribute('aria-selected')).toBe('true');
    await page.waitForFunction(() => document.querySelectorAll('.note-list .note-item').length === 2);
  });

  it('archives three notes at once: a checkbox, then Shift+click for the range', async () => {
    for (const n of [1, 2, 3]) await create(`Bulk ${n}`, `number ${n}`);
    await page.goto(`${WEB_URL}/notes`);
    await listItem(page, 'Bulk 3').waitFor();
    // Newest first: Bulk 3, Bulk 2, Bulk 1.
    await page.getByRole('checkbox', { name: 'Select “Bulk 3”' }).click();
    await page.getByRole('checkbox', { name: 'Select “Bulk 1”' }).click({ modifiers: ['Shift'] });
    await page.getByText('3 selected').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Select “Bulk 2”' }).isChecked()).toBe(true);
    await screenshot(page, '24-bulk-selection');

    await page.getByRole('toolbar', { name: 'Selected notes' }).getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Archived 3 notes').waitFor();
    for (const n of [1, 2, 3]) await listItem(page, `Bulk ${n}`).waitFor({ state: 'detached' });
    expect(await page.getByRole('toolbar', { name: 'Selected notes' }).count()).toBe(0);

    const archived = await apiCall<NotePage<Note>>(auth.accessToken, 'GET', '/api/notes?archived=true');
    expect(archived.body.items.map((n) => n.title).sort()).toEqual(['Bulk 1', 'Bulk 2', 'Bulk 3']);
    await page.getByRole('link', { name: 'Archive', exact: true }).click();
    await listItem(page, 'Bulk 2').waitFor();
  });
});
