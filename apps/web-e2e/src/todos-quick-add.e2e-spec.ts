import type { Todo } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import { apiCall, DESKTOP, firstPage, launch, newUser, registerByApi, screenshot, signIn } from './support/browser';
import { nowIn, wallClockIn } from './support/zoned-now';

const ZONE = 'Europe/Berlin';
const LOCALE = 'en-GB';
const EXAMPLE = 'Pay rent every month on the 1st at 9am !high #home';

/** Screenshots of the page in the light and the dark scheme (reduced motion: no colour transition caught half-way). */
async function shotsInBothSchemes(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    // Two frames: the restyle is painted before the capture.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: null });
}

const plusOneDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The next 1st of a month in `zone` on which 09:00 is still ahead (today when it is the 1st before 9). */
function nextFirstAtNine(zone: string): string {
  const { date, hour } = nowIn(zone);
  if (date.endsWith('-01') && hour < 9) return date;
  const [y, m] = date.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

describe('quick add in natural language', () => {
  const user = newUser('Grace Hopper');
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

  it('reads the sentence into chips, and Enter adds the todo with its due time, repeat, priority and category', async () => {
    await page.getByRole('link', { name: 'Todos' }).click();
    await page.getByText('Nothing to do yet').waitFor();
    const form = page.locator('form.quick-add');
    const input = form.getByLabel('New todo');

    // Keyboard only from here: focus the line (which loads the parser) and type.
    await input.focus();
    await page.keyboard.type(EXAMPLE);
    const chips = form.getByRole('list', { name: 'Recognised in the text' });
    await chips.getByRole('button', { name: /^Due: .*\b0?9:00, remove$/ }).waitFor();
    await chips.getByRole('button', { name: 'Repeat: Every month on the 1st, remove' }).waitFor();
    await chips.getByRole('button', { name: 'Priority: High, remove' }).waitFor();
    await chips.getByRole('button', { name: 'Category: home, remove' }).waitFor();
    // The pickers show what was read.
    const first = nextFirstAtNine(ZONE);
    expect(await form.getByLabel('Due date').inputValue()).toBe(first);
    expect(await form.getByLabel('Time').inputValue()).toBe('09:00');
    expect(await form.getByRole('combobox', { name: /^Priority/ }).inputValue()).toBe('high');
    await form.getByRole('button', { name: 'Repeat: Every month on the 1st', exact: true }).waitFor();

    // How it looks, in both schemes.
    await shotsInBothSchemes(page, '27-todos-quick-add-chips');

    const created = page.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const response = await created;
    expect(response.status()).toBe(201);
    const todo = (await response.json()) as Todo;
    expect(todo).toMatchObject({
      text: 'Pay rent',
      priority: 'high',
      category: 'home',
      allDay: false,
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
    });
    const due = wallClockIn(ZONE, Date.parse(todo.dueDate ?? ''));
    expect(`${due.date} ${due.time}`).toBe(`${first} 09:00`);

    // In the list: text, priority, due time, repeat chip, category.
    const row = page.locator(`.todo-item[data-todo-id="${todo.id}"]`);
    await row.waitFor();
    expect(await row.locator('.todo-text').textContent()).toBe('Pay rent');
    await row.getByText('High', { exact: true }).waitFor();
    await row.getByText('Every month on the 1st').first().waitFor();
    await row.getByText('home', { exact: true }).waitFor();
    expect(Date.parse((await row.locator('time').first().getAttribute('datetime')) ?? '')).toBe(Date.parse(todo.dueDate ?? ''));
    // The line is ready for the next one: empty, focused, no chips.
    expect(await input.inputValue()).toBe('');
    expect(await chips.count()).toBe(0);
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('keeps quoted words, and the words of a chip removed with the keyboard, as text', async () => {
    const form = page.locator('form.quick-add');
    const input = form.getByLabel('New todo');
    await input.focus();
    await page.keyboard.type('Read "Next Friday" tomorrow');
    const due = form.getByRole('button', { name: /^Due: .*, remove$/ });
    await due.waitFor();
    // Only "tomorrow" is read: the quoted words are not.
    expect(await form.getByRole('list', { name: 'Recognised in the text' }).getByRole('listitem').count()).toBe(1);
    // From the line: Add, then the chip's remove button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await due.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await due.waitFor({ state: 'detached' });
    // The last chip gone, focus is back on the line; Enter adds the words as typed, without a date.
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await form.getByLabel('Due date').inputValue()).toBe('');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    const todo = (await (await created).json()) as Todo;
    expect(todo).toMatchObject({ text: 'Read "Next Friday" tomorrow', dueDate: null, recurrence: null });
  });

  it('lets a picker set for this todo win over the text, and says so on the chip', async () => {
    const form = page.locator('form.quick-add');
    const input = form.getByLabel('New todo');
    await input.focus();
    await page.keyboard.type('Call the plumber tomorrow !high');
    await form.getByRole('button', { name: 'Priority: High, remove' }).waitFor();
    const priority = form.getByRole('combobox', { name: /^Priority/ });
    expect(await priority.inputValue()).toBe('high');
    await priority.selectOption('low');
    await form.getByRole('button', { name: 'Priority: High (overridden by the picker), remove' }).waitFor();
    await shotsInBothSchemes(page, '28-todos-quick-add-overridden');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    await input.press('Enter');
    const todo = (await (await created).json()) as Todo;
    expect(todo).toMatchObject({ text: 'Call the plumber', priority: 'low', allDay: true });
    expect(todo.dueDate?.slice(0, 10)).toBe(plusOneDay(nowIn(ZONE).date));
  });
});
