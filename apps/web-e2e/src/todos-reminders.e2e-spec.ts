import type { Todo } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import { apiCall, DESKTOP, firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';
import { wallClockIn } from './support/zoned-now';

const ZONE = 'Europe/Berlin';
const LOCALE = 'en-GB';
/** Seconds after the reminder is due within which every tab must show it (the scheduler polls). */
const FIRES_WITHIN_MS = 10_000;

declare global {
  interface Window {
    /** Every reminder toast this tab has put on screen (its `data-reminder-key`), in order. */
    __reminderToasts: string[];
  }
}

const toastsSeen = (page: Page) => page.evaluate(() => window.__reminderToasts);

describe('todo reminders in two tabs', () => {
  const user = newUser('Grace Hopper');
  let context: BrowserContext;
  let a: Page;
  let b: Page;
  let token: string;

  beforeAll(async () => {
    token = (await registerByApi(user)).accessToken;
    expect((await apiCall(token, 'PATCH', '/api/users/me', { timeZone: ZONE, locale: LOCALE })).status).toBe(200);
    context = await launch(DESKTOP, { timezoneId: ZONE, locale: LOCALE });
    // Counts each reminder toast as it is added to the page, in every tab of this browser.
    await context.addInitScript(() => {
      window.__reminderToasts = [];
      const watch = () =>
        new MutationObserver((records) => {
          for (const record of records)
            for (const node of record.addedNodes) {
              if (!(node instanceof HTMLElement)) continue;
              const toasts = node.matches('.reminder-toast') ? [node] : [...node.querySelectorAll<HTMLElement>('.reminder-toast')];
              for (const t of toasts) window.__reminderToasts.push(t.dataset['reminderKey'] ?? '?');
            }
        }).observe(document.documentElement, { childList: true, subtree: true });
      if (document.documentElement) watch();
      else document.addEventListener('DOMContentLoaded', watch);
    });
    a = await firstPage(context);
    await signIn(a, user);
    // Tab B: the same browser, so the same session (restored from the refresh cookie), on Notes.
    b = await context.newPage();
    b.on('pageerror', (error) => console.error(`[page error B] ${error.message}`));
    await b.goto(`${WEB_URL}/notes`);
    await b.getByRole('search').waitFor();
    await a.getByRole('link', { name: 'Todos' }).click();
    await a.getByText('Nothing to do yet').waitFor();
    await Promise.all([a.locator('[data-status="connected"]').waitFor(), b.locator('[data-status="connected"]').waitFor()]);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('a reminder set in tab A shows in both tabs once each; Snooze moves the chip; opening Todos clears the badge', async () => {
    // Browser notifications are never asked for by themselves.
    expect(await a.evaluate(() => Notification.permission)).toBe('default');

    const form = a.locator('form.quick-add');
    await form.getByLabel('New todo').fill('Pay the invoice');
    // The picker is to the minute: the next minute at least 5 s away.
    const at = Math.ceil((Date.now() + 5_000) / 60_000) * 60_000;
    // Due an hour later, reminded 1 hour before: the row stays where it is (not overdue) throughout.
    const { date, time } = wallClockIn(ZONE, at + 3_600_000);
    await form.getByLabel('Due date').fill(date);
    await form.getByLabel('All day').uncheck();
    await form.getByLabel('Time').fill(time);
    // Keyboard: the select takes arrow keys and Enter like any other.
    await form.getByLabel('Remind me').selectOption('1h');
    await form.locator('.reminder-when').waitFor();
    await screenshot(a, '27-todos-reminder-picker');
    await a.emulateMedia({ colorScheme: 'dark' });
    await screenshot(a, '27-todos-reminder-picker-dark');
    await a.emulateMedia({ colorScheme: 'light' });

    const created = a.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Add' }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toMatchObject({ remindAt: new Date(at).toISOString(), allDay: false });
    const todo = (await response.json()) as Todo;
    expect(Date.parse(todo.remindAt ?? '')).toBe(at);

    const row = a.locator(`.todo-item[data-todo-id="${todo.id}"]`);
    await row.locator('.reminder-chip').waitFor();
    expect(Date.parse((await row.locator('.reminder-chip time').getAttribute('datetime')) ?? '')).toBe(at);
    // The first reminder set offers browser notifications, once; nothing is asked before a click.
    await a.getByText('Get reminders even when MicroNote is closed').waitFor();
    expect(await a.evaluate(() => Notification.permission)).toBe('default');

    const toastIn = (page: Page) => page.locator(`.reminder-toast[data-todo-id="${todo.id}"]`);
    console.log(`reminder due in ${Math.round((at - Date.now()) / 1000)} s`);
    await Promise.all([
      toastIn(a).waitFor({ timeout: at - Date.now() + FIRES_WITHIN_MS }),
      toastIn(b).waitFor({ timeout: at - Date.now() + FIRES_WITHIN_MS }),
    ]);
    console.log(`reminder shown ${Date.now() - at} ms after its time`);
    for (const page of [a, b]) {
      const text = (await toastIn(page).textContent()) ?? '';
      expect(text).toContain('Reminder: Pay the invoice');
      expect(text).toContain('Due');
      expect(await toastIn(page).getAttribute('role')).toBe('status');
    }
    // B is on Notes: its Todos link and title count it; focus stayed where it was.
    await b.locator('.topnav .nav-badge').waitFor();
    expect(await b.locator('.topnav .nav-badge').textContent()).toBe('1');
    await b.waitForFunction(() => document.title.startsWith('(1) '));
    expect(await b.evaluate(() => document.activeElement?.closest('.reminder-toast') ?? null)).toBeNull();
    // Keyboard: the toast comes right after the header in the tab order.
    await b.getByRole('button', { name: 'Sign out' }).focus();
    await b.keyboard.press('Tab');
    expect(await b.evaluate(() => document.activeElement?.textContent)).toBe('Done');
    expect(await b.evaluate(() => document.activeElement?.closest('.reminder-toast')?.getAttribute('data-todo-id'))).toBe(todo.id);
    await b.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await screenshot(b, '28-todos-reminder-toast-badge');
    await b.emulateMedia({ colorScheme: 'dark' });
    await screenshot(b, '28-todos-reminder-toast-badge-dark');
    await b.emulateMedia({ colorScheme: 'light' });

    // A few seconds more: no second toast in either tab.
    await a.waitForTimeout(4_000);
    for (const page of [a, b]) expect((await toastsSeen(page)).filter((key) => key.startsWith(`${todo.id}@`))).toHaveLength(1);

    // Snooze from A's toast (keyboard: Tab reaches it right after the header).
    const snoozed = a.waitForResponse((r) => r.url().endsWith(`/api/todos/${todo.id}/snooze`) && r.request().method() === 'POST');
    await toastIn(a).getByRole('button', { name: 'Snooze 10 min' }).click();
    const snooze = await snoozed;
    expect(snooze.status()).toBe(200);
    expect(snooze.request().postDataJSON()).toEqual({ minutes: 10 });
    const moved = (await snooze.json()) as Todo;
    const next = Date.parse(moved.remindAt ?? '');
    expect(next).toBeGreaterThan(Date.now() + 9 * 60_000);
    await toastIn(a).waitFor({ state: 'detached' });
    await a.waitForFunction(
      ([id, when]) =>
        Date.parse(document.querySelector(`.todo-item[data-todo-id="${id}"] .reminder-chip time`)?.getAttribute('datetime') ?? '') === when,
      [todo.id, next] as const,
    );
    expect(await row.locator('.reminder-chip').getAttribute('class')).not.toContain('is-past');
    // B's toast goes too (the todo's reminder moved), and opening Todos there clears the badge.
    await toastIn(b).waitFor({ state: 'detached' });
    await b.getByRole('link', { name: /^Todos/ }).click();
    await b.locator(`.todo-item[data-todo-id="${todo.id}"] .reminder-chip`).waitFor();
    expect(await b.locator('.topnav .nav-badge').count()).toBe(0);
    await b.waitForFunction(() => !document.title.startsWith('('));
    await screenshot(b, '30-todos-reminder-chip');

    // The edit view reads the snoozed reminder back as a date and time (in Berlin).
    await row.getByRole('button', { name: 'Edit “Pay the invoice”' }).click();
    const edit = a.getByRole('form', { name: 'Edit “Pay the invoice”' });
    expect(await edit.getByLabel('Remind me').inputValue()).toBe('custom');
    expect(await edit.getByLabel('Remind at').inputValue()).toBe(wallClockIn(ZONE, next).time);
    await edit.getByLabel('Remind at').scrollIntoViewIfNeeded();
    await a.emulateMedia({ colorScheme: 'dark' });
    await screenshot(a, '31-todos-reminder-edit-dark');
    await a.emulateMedia({ colorScheme: 'light' });
    await a.keyboard.press('Escape');
    for (const page of [a, b]) expect((await toastsSeen(page)).filter((key) => key.startsWith(`${todo.id}@`))).toHaveLength(1);
  }, 120_000);

  it('Account › Browser notifications: off until Enable is clicked; a refused prompt shows how to allow them again', async () => {
    await a.goto(`${WEB_URL}/account`);
    const section = a.getByRole('region', { name: 'Browser notifications' });
    // The state, once checked (while checking, a skeleton is the section's status).
    const state = section.locator('.push-settings').getByRole('status');
    await state.waitFor();
    expect(await state.textContent()).toMatch(/^Off\s*Reminders show only while MicroNote is open/);
    await section.scrollIntoViewIfNeeded();
    await screenshot(a, '29-account-browser-notifications');
    expect(await a.evaluate(() => Notification.permission)).toBe('default');
    // Enabling is the only way the browser is asked; headless Chromium answers the prompt itself.
    await section.getByRole('button', { name: 'Enable browser notifications' }).click();
    await a.waitForFunction(
      () => !document.querySelector('.push-settings')?.textContent?.includes('Reminders show only while'),
      undefined,
      {
        timeout: 15_000,
      },
    );
    // Headless Chromium refuses the prompt: the blocked state, and how to undo it.
    expect(await a.evaluate(() => Notification.permission)).toBe('denied');
    expect(await state.textContent()).toContain('Blocked');
    expect(await state.textContent()).toContain('set Notifications to Allow');
    await section.getByRole('button', { name: 'Check again' }).waitFor();
    await screenshot(a, '29-account-browser-notifications-after-enable');
  });
});
