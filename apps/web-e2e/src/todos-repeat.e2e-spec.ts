import type { Page as ApiPage, Todo, TodoCompletion } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import { apiCall, DESKTOP, firstPage, launch, newUser, registerByApi, screenshot, signIn } from './support/browser';
import { nowIn } from './support/zoned-now';

/** A zone without daylight saving time, so "a week later at the same time" is 7 × 24 h. */
const ZONE = 'Asia/Tokyo';
const LOCALE = 'en-GB';
const WEEKDAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('repeating todos', () => {
  const user = newUser('Katherine Johnson');
  let context: BrowserContext;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    token = (await registerByApi(user)).accessToken;
    expect((await apiCall(token, 'PATCH', '/api/users/me', { timeZone: ZONE, locale: LOCALE })).status).toBe(200);
    context = await launch(DESKTOP, { timezoneId: ZONE, locale: LOCALE });
    page = await firstPage(context);
    await signIn(page, user);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('a weekly todo due today at a time moves to next week when completed, and lists the completion', async () => {
    await page.getByRole('link', { name: 'Todos' }).click();
    await page.getByText('Nothing to do yet').waitFor();
    const { date, hour } = nowIn(ZONE);
    const time = hour < 23 ? '23:30' : '23:59';
    const weekday = WEEKDAY[new Date(`${date}T00:00:00Z`).getUTCDay()];
    const form = page.locator('form.quick-add');

    // Without a due date the picker is off, and says why.
    await form.getByText('Set a due date to repeat').waitFor();
    expect(await form.getByRole('button', { name: /^Repeat:/ }).isDisabled()).toBe(true);

    await form.getByLabel('New todo').fill('Water the office plants');
    await form.getByLabel('Due date').fill(date);
    await form.getByLabel('All day').uncheck();
    await form.getByLabel('Time').fill(time);
    // Keyboard: focus the toggle, Enter opens the panel, focus lands on "How often".
    await form.getByRole('button', { name: /^Repeat:/ }).focus();
    await page.keyboard.press('Enter');
    const often = form.getByLabel('How often');
    await often.waitFor();
    expect(await often.evaluate((el) => el === document.activeElement)).toBe(true);
    await often.selectOption('weekly');
    expect(await form.getByRole('checkbox', { name: weekday }).isChecked()).toBe(true);
    await form.getByText(`Every week on ${weekday}`).first().waitFor();
    const shot = await screenshot(page, '25-todos-repeat-picker');
    expect(shot).toMatch(/\.png$/);

    const created = page.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Add' }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    const rule = `FREQ=WEEKLY;BYDAY=${weekday.slice(0, 2).toUpperCase()}`;
    expect(response.request().postDataJSON()).toMatchObject({ recurrence: rule, allDay: false });
    const todo = (await response.json()) as Todo;
    expect(todo.recurrence).toBe(rule);

    const row = page.locator(`.todo-item[data-todo-id="${todo.id}"]`);
    await row.waitFor();
    await row.getByText(`Every week on ${weekday}`).waitFor();
    const due = () => row.locator('time').first().getAttribute('datetime');
    expect(Date.parse((await due()) ?? '')).toBe(Date.parse(`${date}T${time}:00+09:00`));

    // Completing it: the server answers it open again, due a week later at the same time in Tokyo.
    // One click (not check(), which clicks again when the box does not stay ticked: this one comes back open).
    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/todos/${todo.id}`) && r.request().method() === 'PATCH');
    await row.getByRole('checkbox', { name: 'Water the office plants' }).click();
    const answer = await patched;
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ completed: false, recurrence: rule });
    const next = Date.parse(`${plusDays(date, 7)}T${time}:00+09:00`);
    await page.getByText(/^Next: /).waitFor();
    const toastText = (await page.getByText(/^Next: /).textContent()) ?? '';
    expect(toastText).toContain(time);
    await page.waitForFunction(
      ([id, at]) => Date.parse(document.querySelector(`.todo-item[data-todo-id="${id}"] time`)?.getAttribute('datetime') ?? '') === at,
      [todo.id, next] as const,
    );
    expect(await row.getByRole('checkbox', { name: 'Water the office plants' }).isChecked()).toBe(false);

    // Its history, in the edit view.
    await row.getByRole('button', { name: 'Edit “Water the office plants”' }).click();
    const history = page.getByRole('region', { name: 'Completed before' });
    await history.getByRole('listitem').first().waitFor();
    expect(await history.getByRole('listitem').count()).toBe(1);
    expect(Date.parse((await history.locator('time').first().getAttribute('datetime')) ?? '')).toBe(Date.parse(`${date}T${time}:00+09:00`));
    const api = await apiCall<ApiPage<TodoCompletion>>(token, 'GET', `/api/todos/${todo.id}/completions`);
    expect(api.body.items).toHaveLength(1);
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, '26-todos-repeat-history');
    await page.keyboard.press('Escape');
  });
});
