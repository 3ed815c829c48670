import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { AuthResponse } from '@micronote/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** The SPA at `/` and the API at `/api` on the same origin (the gateway, or `vite preview` while developing). */
export const WEB_URL = (process.env['WEB_URL'] ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(__dirname, '../../../../test-output/web-e2e');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * A fresh Chromium profile (its own storage: a separate "device") as RECIPE pitfall 7 says: a
 * persistent context in a new temporary directory, removed when the context closes. `options`
 * set the browser's time zone and locale.
 */
export async function launch(viewport = DESKTOP, options: { timezoneId?: string; locale?: string } = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'mn-web-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    // The browser's own zone and language (default: the machine's), e.g. to tell them from the profile's.
    ...options,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(10_000);
  profiles.add(profile);
  return context;
}

// Chromium keeps writing to a profile for a moment after its context closes, so the profiles are
// removed after the test file (whose own afterAll closed its browsers).
const profiles = new Set<string>();
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  profiles.clear();
});

/** The context's first page (a persistent context opens with one). */
export async function firstPage(context: BrowserContext): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  // Uncaught errors in the app fail loudly in the test output.
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface TestUser {
  name: string;
  email: string;
  username: string;
  password: string;
}

/** A user no other test (or earlier run) has. */
export function newUser(name = 'Ada Lovelace'): TestUser {
  const id = randomBytes(5).toString('hex');
  return { name, email: `w_${id}@example.com`, username: `w_${id}`, password: `pw-${id}-long` };
}

/** Registers through the API (for the tests that are not about registering). */
export async function registerByApi(user: TestUser): Promise<AuthResponse> {
  const response = await fetch(`${WEB_URL}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as AuthResponse;
}

/** Signs in through the sign-in page and waits for the notes screen. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto(`${WEB_URL}/login`);
  await page.getByLabel('Username or email', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/notes/);
  await page.getByRole('search').waitFor();
}

/** A REST call as some user (another "device" than the browser). */
export async function apiCall<T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${WEB_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
