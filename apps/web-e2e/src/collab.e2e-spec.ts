import type { Note } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import type { TestUser } from './support/browser';
import { apiCall, firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';

/** Another user's keystrokes must show up this fast. */
const LIVE_WITHIN_MS = 2_000;

/**
 * The live editor's text (CodeMirror's document, one line per .cm-line), without the others'
 * cursors: y-codemirror.next draws each as a widget in the line (`.cm-ySelectionCaret`, with the
 * person's name in it).
 */
const editorText = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.editor-cm[data-live] .cm-line')]
      .map((line) => {
        const copy = line.cloneNode(true) as Element;
        copy.querySelectorAll('.cm-ySelectionCaret').forEach((caret) => caret.remove());
        return copy.textContent ?? '';
      })
      .join('\n'),
  );

async function openLive(page: Page, noteId: string): Promise<void> {
  await page.goto(`${WEB_URL}/notes/${noteId}`);
  await page.locator('.presence-live-live').waitFor();
  await page.locator('.editor-cm[data-live] .cm-content').waitFor();
}

/** Puts the cursor at the end of the text and types `text` key by key (as a person would). */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.locator('.editor-cm[data-live] .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text, { delay: 25 });
}

describe('live collaboration: two people in one note', () => {
  const ada = newUser('Ada Lovelace');
  const grace = newUser('Grace Hopper');
  const vera = newUser('Vera Rubin');
  let tokens: Record<'ada' | 'grace' | 'vera', string>;
  let noteId: string;
  let contexts: BrowserContext[] = [];
  let a: Page;
  let g: Page;

  const share = async (user: TestUser, token: string, role: 'editor' | 'viewer') => {
    const invited = await apiCall(tokens.ada, 'POST', `/api/notes/${noteId}/members`, { user: user.username, role });
    expect(invited.status).toBe(201);
    const accepted = await apiCall(token, 'POST', `/api/notes/${noteId}/members/me/accept`);
    expect(accepted.status).toBe(200);
  };

  beforeAll(async () => {
    const [ra, rg, rv] = await Promise.all([registerByApi(ada), registerByApi(grace), registerByApi(vera)]);
    tokens = { ada: ra.accessToken, grace: rg.accessToken, vera: rv.accessToken };
    const created = await apiCall<Note>(tokens.ada, 'POST', '/api/notes', { title: 'Launch plan', text: '# Launch plan\n' });
    expect(created.status).toBe(201);
    noteId = created.body.id;
    await share(grace, tokens.grace, 'editor');
    await share(vera, tokens.vera, 'viewer');

    contexts = await Promise.all([launch(), launch()]);
    [a, g] = await Promise.all(contexts.map(firstPage));
    await signIn(a, ada);
    await signIn(g, grace);
    await Promise.all([openLive(a, noteId), openLive(g, noteId)]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  it('both see who is in the note', async () => {
    for (const page of [a, g]) {
      await page.locator('.presence-people', { hasText: 'Ada Lovelace' }).waitFor();
      await page.locator('.presence-people', { hasText: 'Grace Hopper' }).waitFor();
    }
    expect(await a.locator('.presence-avatar').count()).toBe(2);
  });

  it('both type at once: each sees the other’s text and named cursor live; REST returns the same text', async () => {
    await Promise.all([typeAtEnd(a, '\nAda: countdown at ten.'), typeAtEnd(g, '\nGrace: ship the compiler.')]);

    const since = Date.now();
    await a.waitForFunction(
      () => document.querySelector('.editor-cm .cm-content')?.textContent?.includes('Grace: ship the compiler.'),
      undefined,
      {
        timeout: 5 * LIVE_WITHIN_MS,
      },
    );
    await g.waitForFunction(
      () => document.querySelector('.editor-cm .cm-content')?.textContent?.includes('Ada: countdown at ten.'),
      undefined,
      {
        timeout: 5 * LIVE_WITHIN_MS,
      },
    );
    const seenAfter = Date.now() - since;
    console.log(`each side had the other's text ${seenAfter} ms after both stopped typing`);
    expect(seenAfter).toBeLessThan(LIVE_WITHIN_MS);

    // The other's cursor, in their colour, with their name.
    await a.locator('.cm-ySelectionInfo', { hasText: 'Grace Hopper' }).waitFor();
    await g.locator('.cm-ySelectionInfo', { hasText: 'Ada Lovelace' }).waitFor();

    // Both converge on one text, and it is what the API reads.
    let textA = '';
    let textG = '';
    for (let i = 0; i < 50 && (textA === '' || textA !== textG); i++) {
      [textA, textG] = await Promise.all([editorText(a), editorText(g)]);
      if (textA !== textG) await new Promise((r) => setTimeout(r, 100));
    }
    expect(textA).toBe(textG);
    expect(textA).toContain('# Launch plan');
    expect(textA).toContain('Ada: countdown at ten.');
    expect(textA).toContain('Grace: ship the compiler.');

    let stored = '';
    for (let i = 0; i < 50; i++) {
      const read = await apiCall<Note>(tokens.grace, 'GET', `/api/notes/${noteId}`);
      expect(read.status).toBe(200);
      stored = read.body.text;
      if (stored === textA) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(stored).toBe(textA);

    // The preview follows the live text.
    await a.locator('.editor-preview', { hasText: 'Grace: ship the compiler.' }).waitFor();
    await screenshot(a, 'collab-01-ada-sees-grace');
    await screenshot(g, 'collab-02-grace-sees-ada');
  });

  it('a viewer sees the text live but cannot change it', async () => {
    const context = await launch();
    contexts.push(context);
    const v = await firstPage(context);
    await signIn(v, vera);
    await openLive(v, noteId);
    await v.getByTestId('read-only').waitFor();
    const before = await editorText(v);
    await v.locator('.editor-cm .cm-content').click();
    await v.keyboard.type('vandalism');
    expect(await editorText(v)).toBe(before);

    await typeAtEnd(a, '\nAda: liftoff.');
    await v.waitForFunction(() => document.querySelector('.editor-cm .cm-content')?.textContent?.includes('Ada: liftoff.'), undefined, {
      timeout: 5 * LIVE_WITHIN_MS,
    });
    await v.locator('.presence-people', { hasText: 'Vera Rubin' }).waitFor();
    await screenshot(v, 'collab-03-viewer');
    const read = await apiCall<Note>(tokens.ada, 'GET', `/api/notes/${noteId}`);
    expect(read.body.text).not.toContain('vandalism');
  });
});
