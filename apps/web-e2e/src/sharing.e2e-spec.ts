import type { AuthResponse, Member, Note } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';

import { apiCall, firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';

/** Another user's screen must show a change this fast, without a reload. */
const LIVE_MS = 5000;
/** A screen of this spec, in test-output/web-e2e/ with the others. */
const shot = (page: Page, name: string) => screenshot(page, `sharing-${name}`);

const connected = (page: Page) => page.locator('[data-status="connected"]').waitFor();

describe('sharing with people: two users in two browsers', () => {
  const owner = newUser('Ann Owner');
  const member = newUser('Bob Member');
  let ownerAuth: AuthResponse;
  let memberAuth: AuthResponse;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let a: Page;
  let b: Page;

  beforeAll(async () => {
    [ownerAuth, memberAuth] = await Promise.all([registerByApi(owner), registerByApi(member)]);
    [contextA, contextB] = await Promise.all([launch(), launch()]);
    [a, b] = await Promise.all([firstPage(contextA), firstPage(contextB)]);
    await signIn(a, owner);
    await signIn(b, member);
    await Promise.all([connected(a), connected(b)]);
  });

  afterAll(async () => {
    await Promise.all([contextA?.close(), contextB?.close()]);
  });

  test('the owner shares a list as editor; the member accepts from the bell, completes a todo live; the owner sees it and is notified', async () => {
    // The owner creates a list (Enter submits) and shares it by username.
    await a.getByRole('link', { name: 'Todos' }).click();
    const newList = a.getByLabel('New list name');
    await newList.fill('Groceries');
    await newList.press('Enter');
    await a.getByRole('heading', { name: 'Groceries' }).waitFor();
    await shot(a, '01-owner-todo-lists');

    await a.getByRole('button', { name: 'Share' }).click();
    const dialog = a.getByRole('dialog', { name: 'Share “Groceries”' });
    await dialog.getByLabel('Invite by username or e-mail').fill(member.username);
    await dialog.getByLabel('Role of the person invited').selectOption('editor');
    await dialog.getByLabel('Invite by username or e-mail').press('Enter');
    await dialog.getByRole('listitem', { name: member.name }).getByText('Invited').waitFor();
    await shot(a, '02-owner-people-dialog');
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The member's bell counts the invitation live; Accept in its panel.
    const bellB = b.getByRole('button', { name: /^Notifications/ });
    await b.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: LIVE_MS });
    await bellB.click();
    const panel = b.getByRole('dialog', { name: 'Notifications' });
    const invitation = panel.getByRole('listitem', { name: 'Invitation to “Groceries”' });
    await invitation.waitFor();
    await shot(b, '03-member-bell-invitation');
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await invitation.waitFor({ state: 'hidden' });
    await b.keyboard.press('Escape');

    await b.getByRole('link', { name: 'Todos' }).click();
    await b
      .getByRole('navigation', { name: 'Todo lists' })
      .getByRole('button', { name: /Groceries/ })
      .click();
    await b.getByRole('heading', { name: 'Groceries' }).waitFor();
    await b.getByText('Nothing in this list yet').waitFor();

    // The owner adds a todo into the list; the member sees it live and completes it.
    const form = a.locator('form.quick-add');
    await form.getByLabel('New todo').fill('Buy milk');
    const created = a.waitForResponse((r) => r.url().endsWith('/api/todos') && r.request().method() === 'POST');
    await form.getByLabel('New todo').press('Enter');
    const todo = (await (await created).json()) as { id: string; listId?: string };
    expect(todo.listId).toBeTruthy();
    const inB = b.locator(`[data-todo-id="${todo.id}"]`);
    await inB.waitFor({ timeout: LIVE_MS });
    await shot(b, '04-member-shared-list');
    await b.getByRole('checkbox', { name: 'Buy milk' }).check();

    // The owner's tab shows it completed live, and the bell tells who did it.
    await a.waitForFunction((sel) => document.querySelector<HTMLInputElement>(sel)?.checked === true, `[data-todo-id="${todo.id}"] input`, {
      timeout: LIVE_MS,
    });
    await a.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: LIVE_MS });
    await a.getByRole('button', { name: /^Notifications/ }).click();
    const ownerPanel = a.getByRole('dialog', { name: 'Notifications' });
    await ownerPanel.getByText(/completed “Buy milk” in Groceries/).waitFor();
    await shot(a, '05-owner-bell-completed');
    await ownerPanel.getByRole('button', { name: 'Mark all read' }).click();
    await a.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await a.keyboard.press('Escape');
  });

  it('a note shared as viewer shows in "Shared with me" with the owner\'s name and opens read-only', async () => {
    const created = await apiCall<Note>(ownerAuth.accessToken, 'POST', '/api/notes', {
      title: 'Trip plan',
      text: '# Day 1\nLisbon',
      tags: [],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const invited = await apiCall<Member>(ownerAuth.accessToken, 'POST', `/api/notes/${id}/members`, {
      user: member.email,
      role: 'viewer',
    });
    expect(invited.status).toBe(201);
    const accepted = await apiCall<Note>(memberAuth.accessToken, 'POST', `/api/notes/${id}/members/me/accept`);
    expect(accepted.status).toBe(200);

    await b.goto(`${WEB_URL}/notes?view=shared`);
    const row = b.locator(`.note-list [data-note-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Trip plan.*Can view.*From Ann Owner/);
    await shot(b, '06-member-shared-with-me');

    await row.click();
    const title = b.getByLabel('Title', { exact: true });
    await title.waitFor();
    expect(await title.getAttribute('readonly')).not.toBeNull();
    await b.getByTestId('read-only').waitFor();
    expect(await b.getByRole('button', { name: 'Move to trash' }).count()).toBe(0);
    expect(await b.locator('.save-status').count()).toBe(0);
    await shot(b, '07-member-read-only-note');

    // The owner sees the member in the note's share dialog.
    await a.goto(`${WEB_URL}/notes/${id}`);
    await a.getByRole('button', { name: 'Share' }).click();
    const share = a.getByRole('dialog', { name: 'Share “Trip plan”' });
    await share.getByRole('listitem', { name: member.name }).waitFor();
    await shot(a, '08-owner-note-share-dialog');
    await a.keyboard.press('Escape');
  });

  it("the owner invites by username from the note's Share dialog; the member accepts in the bell's panel and edits it from Shared with me", async () => {
    const created = await apiCall<Note>(ownerAuth.accessToken, 'POST', '/api/notes', { title: 'Reading list', text: '- Dune\n', tags: [] });
    expect(created.status).toBe(201);
    const id = created.body.id;

    await a.goto(`${WEB_URL}/notes/${id}`);
    await a.getByRole('button', { name: 'Share' }).click();
    const dialog = a.getByRole('dialog', { name: 'Share “Reading list”' });
    await dialog.getByLabel('Invite by username or e-mail').fill(member.username);
    await dialog.getByLabel('Role of the person invited').selectOption('editor');
    await dialog.getByLabel('Invite by username or e-mail').press('Enter');
    await dialog.getByRole('listitem', { name: member.name }).getByText('Invited').waitFor();
    await shot(a, '09-owner-invites-to-note');
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The invitation waits in the member's bell panel (GET /api/shared/invitations).
    await b.getByRole('button', { name: /^Notifications/ }).click();
    const panel = b.getByRole('dialog', { name: 'Notifications' });
    const invitation = panel.getByRole('listitem', { name: 'Invitation to “Reading list”' });
    await invitation.waitFor();
    expect(await invitation.textContent()).toMatch(/Ann Owner invites you to edit the note “Reading list”/);
    await shot(b, '10-member-note-invitation');
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await invitation.waitFor({ state: 'hidden' });
    await b.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    await b.goto(`${WEB_URL}/notes?view=shared`);
    const row = b.locator(`.note-list [data-note-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Reading list.*Can edit.*From Ann Owner/);
    await row.click();
    // An editor: the title is editable, the owner's actions are not there.
    const title = b.getByLabel('Title', { exact: true });
    await title.waitFor();
    expect(await title.getAttribute('readonly')).toBeNull();
    expect(await b.getByRole('button', { name: 'Move to trash' }).count()).toBe(0);

    // The owner's dialog shows the member accepted, no longer "Invited" (NOTE_MEMBERS_CHANGED, live).
    await a.getByRole('button', { name: 'Share' }).click();
    const people = a.getByRole('dialog', { name: 'Share “Reading list”' }).getByRole('listitem', { name: member.name });
    await people.waitFor();
    await people.getByText('Invited').waitFor({ state: 'detached', timeout: LIVE_MS });
    await shot(a, '11-owner-member-accepted');
    await a.keyboard.press('Escape');
  });
});
