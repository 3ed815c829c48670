import type { Todo } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import { apiCall, DESKTOP, firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';
import { nowIn } from './support/zoned-now';

/** The profile's zone and locale: not the browser's (America/New_York, en-US), so the profile's visibly win. */
const PROFILE_ZONE = 'Asia/Tokyo';
const PROFILE_LOCALE = 'en-GB';
const BROWSER = { timezoneId: 'America/New_York', locale: 'en-US' };

const todoRow = (page: Page, text: string) => page.locator('.todo-item', { hasText: text });
const manualOrder = (page: Page) => page.locator('ul.is-sortable > li .todo-text').allTextContents();
const isMove = (id: string) => (r: { url(): string; request(): { method(): string } }) =>
  r.url().endsWith(`/api/todos/${id}/move`) && r.request().method() === 'POST';

describe('todos that run a day', () => {
  describe('due times and subtasks', () => {
    const user = newUser('Hedy Lamarr');
    let context: BrowserContext;
    let page: Page;
    let token: string;

    beforeAll(async () => {
      token = (await registerByApi(user)).accessToken;
      const profile = await apiCall<{ timeZone: string | null; locale: string | null }>(token, 'PATCH', '/api/users/me', {
        timeZone: PROFILE_ZONE,
        locale: PROFILE_LOCALE,
      });
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ timeZone: PROFILE_ZONE, locale: PROFILE_LOCALE });
      context = await launch(DESKTOP, BROWSER);
      page = await firstPage(context);
      await signIn(page, user);
    });

    afterAll(async () => {
      await context?.close();
    });

    it('a timed todo is sent as the instant in the profile’s zone, shows its time there, and lands in Today', async () => {
      await page.getByRole('link', { name: 'Todos' }).click();
      await page.getByText('Nothing to do yet').waitFor();
      const { date, hour } = nowIn(PROFILE_ZONE);
      // Later today in Tokyo (UTC+9, no DST): not overdue, still today.
      const time = hour < 23 ? '23:30' : '23:59';
      const form = page.locator('form.quick-add');
      await form.getByLabel('New todo').fill('Call the Osaka office');
      await form.getByLabel('Due date').fill(date);
      await form.getByLabel('All day').uncheck();
      await form.getByText('Asia/Tokyo').waitFor();
      await form.getByLabel('Time').fill(time);
      const created = page.waitForRequest((r) => r.url().endsWith('/api/todos') && r.method() === 'POST');
      await form.getByRole('button', { name: 'Add' }).click();
      const request = await created;
      expect(request.headers()['x-time-zone']).toBe(PROFILE_ZONE);
      const utc = new Date(Date.parse(`${date}T${time}:00+09:00`)).toISOString();
      expect(request.postDataJSON()).toMatchObject({ text: 'Call the Osaka office', dueDate: utc, allDay: false });

      const row = page.locator('section[data-group="today"] .todo-item', { hasText: 'Call the Osaka office' });
      await row.waitFor();
      // en-GB, 24-hour clock, Tokyo time (New York would be 09:30 or 10:30 the day before).
      expect(await row.locator('time').textContent()).toMatch(new RegExp(`, ${time}$`));

      // An all-day todo: its date, no time.
      await form.getByLabel('New todo').fill('Water the bonsai');
      await form.getByLabel('Due date').fill(date);
      await form.getByLabel('All day').check();
      await form.getByRole('button', { name: 'Add' }).click();
      const allDay = page.locator('section[data-group="today"] .todo-item', { hasText: 'Water the bonsai' });
      await allDay.waitFor();
      expect(await allDay.locator('time').textContent()).not.toMatch(/\d:\d\d/);

      // The server's Today view, in the zone the SPA sends.
      const today = page.waitForRequest((r) => r.url().includes('/api/todos?') && r.url().includes('view=today'));
      await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Today' }).click();
      expect((await today).headers()['x-time-zone']).toBe(PROFILE_ZONE);
      await todoRow(page, 'Call the Osaka office').waitFor();
      await todoRow(page, 'Water the bonsai').waitFor();
      await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Upcoming' }).click();
      await todoRow(page, 'Call the Osaka office').waitFor();
      await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'All' }).click();
      await page.locator('section[data-group="today"]').waitFor();
    });

    it('a subtask added inline shows 0/1, then 1/1 once completed', async () => {
      await page.locator('form.quick-add').getByLabel('New todo').fill('Plan the trip');
      await page.locator('form.quick-add').getByRole('button', { name: 'Add' }).click();
      const parent = todoRow(page, 'Plan the trip').first();
      await parent.waitFor();
      await page.getByRole('button', { name: 'Subtasks of “Plan the trip”' }).click();
      const panel = page.getByRole('region', { name: 'Subtasks of “Plan the trip”' });
      await panel.getByText('No subtasks yet.').waitFor();
      await panel.getByLabel('New subtask of “Plan the trip”').fill('Book the train');
      await panel.getByRole('button', { name: 'Add subtask' }).click();
      await panel.locator('.todo-item', { hasText: 'Book the train' }).waitFor();
      const chip = page.locator('.todo-item[data-todo-id] > .subtask-toggle .subtask-chip').first();
      await page.waitForFunction(() => document.querySelector('.subtask-chip')?.textContent === '0/1');
      // One level: a subtask has no subtasks of its own.
      expect(await panel.getByRole('button', { name: /^Subtasks of/ }).count()).toBe(0);

      await panel.getByRole('checkbox', { name: 'Book the train' }).check();
      await page.waitForFunction(() => document.querySelector('.subtask-chip')?.textContent === '1/1');
      expect(await chip.textContent()).toBe('1/1');
      await screenshot(page, '16-todos-day');

      // Completing the parent completes its subtasks (the server does; the list refreshes).
      await panel.getByLabel('New subtask of “Plan the trip”').fill('Pack');
      await panel.getByRole('button', { name: 'Add subtask' }).click();
      await page.waitForFunction(() => document.querySelector('.subtask-chip')?.textContent === '1/2');
      await page.getByRole('checkbox', { name: 'Plan the trip', exact: true }).check();
      await page.waitForFunction(() => document.querySelector('.subtask-chip')?.textContent === '2/2');
    });
  });

  describe('My order, in two tabs', () => {
    const user = newUser('Grace Hopper');
    let contextA: BrowserContext;
    let contextB: BrowserContext;
    let a: Page;
    let b: Page;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const token = (await registerByApi(user)).accessToken;
      for (const text of ['First', 'Second', 'Third']) {
        const created = await apiCall<Todo>(token, 'POST', '/api/todos', { text });
        expect(created.status).toBe(201);
        ids[text] = created.body.id;
      }
      [contextA, contextB] = await Promise.all([launch(), launch()]);
      [a, b] = await Promise.all([firstPage(contextA), firstPage(contextB)]);
      await signIn(a, user);
      await signIn(b, user);
      await Promise.all([a.goto(`${WEB_URL}/todos?order=manual`), b.goto(`${WEB_URL}/todos?order=manual`)]);
      await Promise.all([a.locator('[data-status="connected"]').waitFor(), b.locator('[data-status="connected"]').waitFor()]);
      await Promise.all([a.locator('ul.is-sortable').waitFor(), b.locator('ul.is-sortable').waitFor()]);
    });

    afterAll(async () => {
      await Promise.all([contextA?.close(), contextB?.close()]);
    });

    it('drag to reorder in tab A; tab B shows the new order live', async () => {
      const start = await manualOrder(a);
      expect(start).toHaveLength(3);
      expect(await b.locator('ul.is-sortable > li .todo-text').allTextContents()).toEqual(start);
      const [top, , bottom] = start;

      const handle = await a.getByRole('button', { name: `Move “${top}”` }).boundingBox();
      const target = await todoRow(a, bottom).boundingBox();
      if (!handle || !target) throw new Error('nothing to drag');
      const moved = a.waitForResponse(isMove(ids[top]));
      await a.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
      await a.mouse.down();
      await a.mouse.move(handle.x + handle.width / 2, target.y + target.height * 0.8, { steps: 15 });
      await a.mouse.up();
      const response = await moved;
      expect(response.status()).toBe(200);
      expect(response.request().postDataJSON()).toEqual({ after: ids[bottom] });
      const expected = [start[1], bottom, top];
      expect(await manualOrder(a)).toEqual(expected);
      await b.waitForFunction(
        (want) => JSON.stringify([...document.querySelectorAll('ul.is-sortable > li .todo-text')].map((e) => e.textContent)) === want,
        JSON.stringify(expected),
        { timeout: 5000 },
      );
      await screenshot(a, '17-todos-my-order');
      // It stays after a reload (the server's order).
      await a.reload();
      await a.locator('ul.is-sortable').waitFor();
      expect(await manualOrder(a)).toEqual(expected);
    });

    it('keyboard only: Space lifts, arrows move, Space drops (announced); Escape cancels', async () => {
      const start = await manualOrder(a);
      const last = start[2];
      // The handle is in the tab order, just before the row's checkbox.
      await a.getByRole('checkbox', { name: last, exact: true }).focus();
      await a.keyboard.press('Shift+Tab');
      expect(await a.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Move “${last}”`);

      const moved = a.waitForResponse(isMove(ids[last]));
      await a.keyboard.press('Space');
      await a.locator('[id^="DndLiveRegion"]', { hasText: `Picked up “${last}”, position 3 of 3.` }).waitFor();
      // Step by step, as the announcements come (a person hears each before the next key).
      const region = a.locator('[id^="DndLiveRegion"]');
      // An arrow moves one row once the move is announced; a key the page had no time for (a slow
      // CI runner) is pressed again, as a person would on hearing nothing.
      const arrowUpTo = async (place: number) => {
        const heard = region.filter({ hasText: `“${last}” moved to position ${place} of 3.` });
        for (let attempt = 0; attempt < 3; attempt++) {
          await a.keyboard.press('ArrowUp');
          if (
            await heard.waitFor({ timeout: 3_000 }).then(
              () => true,
              () => false,
            )
          )
            return;
        }
        throw new Error(`no "moved to position ${place} of 3" announcement`);
      };
      await arrowUpTo(2);
      await arrowUpTo(1);
      await a.keyboard.press('Space');
      const response = await moved;
      expect(response.status()).toBe(200);
      expect(response.request().postDataJSON()).toEqual({ before: ids[start[0]] });
      await a.locator('[id^="DndLiveRegion"]', { hasText: `“${last}” dropped at position 1 of 3.` }).waitFor();
      const expected = [last, start[0], start[1]];
      expect(await manualOrder(a)).toEqual(expected);
      await b.waitForFunction(
        (want) => JSON.stringify([...document.querySelectorAll('ul.is-sortable > li .todo-text')].map((e) => e.textContent)) === want,
        JSON.stringify(expected),
        { timeout: 5000 },
      );

      // Escape puts it back, and nothing is sent.
      let posted = false;
      a.on('request', (r) => {
        if (r.url().includes('/move')) posted = true;
      });
      await a.getByRole('button', { name: `Move “${expected[0]}”` }).focus();
      await a.keyboard.press('Space');
      await region.filter({ hasText: `Picked up “${expected[0]}”` }).waitFor();
      await a.keyboard.press('ArrowDown');
      await region.filter({ hasText: `“${expected[0]}” moved to position 2 of 3.` }).waitFor();
      await a.keyboard.press('Escape');
      await a.locator('[id^="DndLiveRegion"]', { hasText: 'cancelled' }).waitFor();
      await a.waitForTimeout(300);
      expect(await manualOrder(a)).toEqual(expected);
      expect(posted).toBe(false);
    });
  });
});
