import type { BrowserContext, Page } from 'playwright-core';

import { firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';

/** Another tab or device must see a change this fast, without a reload. */
const LIVE_WITHIN_MS = 1000;

/** Milliseconds until `locator` shows up (or fails after LIVE_WITHIN_MS × 5 for a readable error). */
async function msUntil(wait: () => Promise<unknown>, since: number): Promise<number> {
  await wait();
  return Date.now() - since;
}

describe('realtime: two browsers of the same user', () => {
  const user = newUser('Katherine Johnson');
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let a: Page;
  let b: Page;

  beforeAll(async () => {
    await registerByApi(user);
    // Two profiles: two devices, each with its own session.
    [contextA, contextB] = await Promise.all([launch(), launch()]);
    [a, b] = await Promise.all([firstPage(contextA), firstPage(contextB)]);
    await signIn(a, user);
    await signIn(b, user);
    await Promise.all([a.locator('[data-status="connected"]').waitFor(), b.locator('[data-status="connected"]').waitFor()]);
  });

  afterAll(async () => {
    await Promise.all([contextA?.close(), contextB?.close()]);
  });

  it('a note created in A appears in B within 1 s, and its edits follow', async () => {
    const created = a.waitForResponse((r) => r.url().endsWith('/api/notes') && r.request().method() === 'POST');
    await a.getByRole('button', { name: 'New note' }).click();
    const response = await created;
    const since = Date.now();
    const id = ((await response.json()) as { id: string }).id;
    const appeared = await msUntil(() => b.locator(`.note-list [data-note-id="${id}"]`).waitFor({ timeout: 5 * LIVE_WITHIN_MS }), since);
    console.log(`new note visible in the other browser after ${appeared} ms`);
    expect(appeared).toBeLessThan(LIVE_WITHIN_MS);

    await a.waitForFunction(() => (document.activeElement as HTMLElement | null)?.classList.contains('editor-title'));
    const saved = a.waitForResponse((r) => r.url().endsWith(`/api/notes/${id}`) && r.request().method() === 'PATCH');
    await a.keyboard.type('Written in tab A');
    await saved;
    const renamed = await msUntil(
      () => b.locator(`.note-list [data-note-id="${id}"]`, { hasText: 'Written in tab A' }).waitFor({ timeout: 5 * LIVE_WITHIN_MS }),
      Date.now(),
    );
    expect(renamed).toBeLessThan(LIVE_WITHIN_MS);
    // A's own echo did not disturb its editor.
    expect(await a.getByLabel('Title', { exact: true }).inputValue()).toBe('Written in tab A');
    await screenshot(b, '08-realtime-note-in-b');
  });

  it('a todo completed in A shows completed in B within 1 s, stats included', async () => {
    await Promise.all([a.goto(`${WEB_URL}/todos`), b.goto(`${WEB_URL}/todos`)]);
    await Promise.all([a.locator('[data-status="connected"]').waitFor(), b.locator('[data-status="connected"]').waitFor()]);
    await b.getByText('Nothing to do yet').waitFor();

    await a.getByLabel('New todo').fill('Call the bank');
    const created = a.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    await a.getByRole('button', { name: 'Add' }).click();
    const id = ((await (await created).json()) as { id: string }).id;
    const todoInB = b.locator(`[data-todo-id="${id}"]`);
    const appeared = await msUntil(() => todoInB.waitFor({ timeout: 5 * LIVE_WITHIN_MS }), Date.now());
    console.log(`new todo visible in the other browser after ${appeared} ms`);
    expect(appeared).toBeLessThan(LIVE_WITHIN_MS);

    const completed = a.waitForResponse((r) => r.url().endsWith(`/api/todos/${id}`) && r.request().method() === 'PATCH');
    await a.getByRole('checkbox', { name: 'Call the bank' }).check();
    await completed;
    const since = Date.now();
    const checked = await msUntil(
      () =>
        b.waitForFunction((sel) => document.querySelector<HTMLInputElement>(sel)?.checked === true, `[data-todo-id="${id}"] input`, {
          timeout: 5 * LIVE_WITHIN_MS,
        }),
      since,
    );
    console.log(`completed todo visible in the other browser after ${checked} ms`);
    expect(checked).toBeLessThan(LIVE_WITHIN_MS);
    // The stats panel follows too (its numbers are refetched on the event).
    const stat = (page: Page, name: string) => page.locator('.stat', { has: page.locator('dt', { hasText: name }) }).locator('dd');
    await b.waitForFunction(() => document.querySelector('.stats')?.textContent?.includes('100%'), undefined, {
      timeout: 5 * LIVE_WITHIN_MS,
    });
    expect(await stat(b, 'Completed').textContent()).toBe('1');
    const statsMs = Date.now() - since;
    expect(statsMs).toBeLessThan(LIVE_WITHIN_MS * 2);
    await screenshot(b, '09-realtime-todo-in-b');
  });
});
