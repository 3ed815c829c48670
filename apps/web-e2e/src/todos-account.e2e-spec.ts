import { readFileSync } from 'node:fs';

import type { BrowserContext, Page } from 'playwright-core';

import { firstPage, launch, newUser, PHONE, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const todoRow = (page: Page, text: string) => page.locator('.todo-item', { hasText: text });

async function addTodo(page: Page, text: string, options: { priority?: string; due?: string; category?: string } = {}): Promise<void> {
  const form = page.locator('form.quick-add');
  await form.getByLabel('New todo').fill(text);
  await form.getByLabel('Priority').selectOption(options.priority ?? 'medium');
  await form.getByLabel('Due date').fill(options.due ?? '');
  await form.getByLabel('Category').fill(options.category ?? '');
  await form.getByRole('button', { name: 'Add' }).click();
  await todoRow(page, text).waitFor();
}

describe('todos and the account pages', () => {
  const user = newUser('Ada Lovelace');
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await registerByApi(user);
    context = await launch();
    page = await firstPage(context);
    await signIn(page, user);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('adds todos, highlights the overdue one, filters, edits inline, completes and deletes', async () => {
    await page.getByRole('link', { name: 'Todos' }).click();
    await page.getByText('Nothing to do yet').waitFor();
    await addTodo(page, 'Pay the rent', { priority: 'high', due: isoDay(-2), category: 'home' });
    await addTodo(page, 'Write the quarterly report', { priority: 'medium', due: isoDay(3), category: 'work' });
    await addTodo(page, 'Buy stamps', { priority: 'low' });

    // Overdue: highlighted, and said in words (not by colour alone).
    expect(await todoRow(page, 'Pay the rent').getAttribute('class')).toContain('is-overdue');
    await todoRow(page, 'Pay the rent').getByText('Overdue:').waitFor();
    expect(await todoRow(page, 'Write the quarterly report').getAttribute('class')).not.toContain('is-overdue');

    await page.getByRole('button', { name: 'Overdue', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.todo-item').length === 1);
    await todoRow(page, 'Pay the rent').waitFor();
    await page.getByRole('button', { name: 'Any status', exact: true }).click();
    await page.locator('.todo-filters').getByLabel('Category').selectOption('work');
    await page.waitForFunction(() => document.querySelectorAll('.todo-item').length === 1);
    await page.locator('.todo-filters').getByLabel('Category').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('.todo-item').length === 3);

    // Inline edit from the keyboard: Edit, type, Enter.
    await page.getByRole('button', { name: 'Edit “Buy stamps”' }).click();
    await page.getByRole('form', { name: 'Edit “Buy stamps”' }).getByLabel('Text').fill('Buy stamps and envelopes');
    await page.keyboard.press('Enter');
    await todoRow(page, 'Buy stamps and envelopes').waitFor();

    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).check();
    await page.waitForFunction(() => document.querySelector('.stats')?.textContent?.includes('33%'));

    await page.getByRole('button', { name: 'Delete “Buy stamps and envelopes”' }).click();
    await todoRow(page, 'Buy stamps and envelopes').waitFor({ state: 'detached' });
    await page.getByText('Todo deleted').waitFor();
    await page.waitForFunction(() => document.querySelector('.stats')?.textContent?.includes('50%'));
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await addTodo(page, 'Plan the garden', { priority: 'low', due: isoDay(10), category: 'home' });
    await screenshot(page, '10-todos');
  });

  it('changes the profile, exports and re-imports the data, lists sessions', async () => {
    await page.getByRole('link', { name: user.name }).click();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page.getByText('This device').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Ada King');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await page.getByRole('link', { name: 'Ada King' }).waitFor();

    // A wrong current password is told under that field.
    await page.getByLabel('Current password', { exact: true }).fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('Repeat the new password', { exact: true }).fill('a brand new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.field-error', { hasText: 'Password is incorrect' }).waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { todos: unknown[] };
    expect(exported.todos).toHaveLength(3);

    const zip = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Markdown (.zip)' }).click();
    expect((await zip).suggestedFilename()).toMatch(/^micronote-\d{4}-\d{2}-\d{2}\.zip$/);

    // Importing what was just exported adds nothing (idempotent import).
    await page.getByLabel('Import JSON…').setInputFiles(file);
    await page.getByText(/Nothing new to import|Imported 0 notes and 0 todos/).waitFor();
    await screenshot(page, '11-account');
  });

  it('works at phone width', async () => {
    const phone = await launch(PHONE);
    try {
      const small = await firstPage(phone);
      await signIn(small, user);
      await small.getByRole('button', { name: 'New note' }).click();
      await small.waitForFunction(() => (document.activeElement as HTMLElement | null)?.classList.contains('editor-title'));
      await small.keyboard.type('Notes on a phone');
      await small.getByLabel('Text', { exact: true }).fill('Short lines, big targets, one pane at a time.');
      await small.locator('[data-status="saved"]').waitFor();
      await screenshot(small, '12-phone-editor');
      await small.getByRole('link', { name: 'All notes' }).click();
      await small.locator('.note-item', { hasText: 'Notes on a phone' }).waitFor();
      await screenshot(small, '13-phone-notes');
      await small.getByRole('link', { name: 'Todos' }).click();
      await todoRow(small, 'Pay the rent').waitFor();
      await screenshot(small, '14-phone-todos');
    } finally {
      await phone.close();
    }
  });

  it('deletes the account after confirmation', async () => {
    await page.goto(`${WEB_URL}/account`);
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByLabel('Password').fill('wrong password');
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await dialog.getByText('That password is not right.').waitFor();
    await screenshot(page, '15-delete-account');
    await dialog.getByLabel('Password').fill(user.password);
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByText('Your account and all its data were deleted.').waitFor();

    const response = await fetch(`${WEB_URL}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: user.username, password: user.password }),
    });
    expect(response.status).toBe(401);
  });
});
