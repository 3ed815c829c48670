import type { BrowserContext, Page } from 'playwright-core';

import { DESKTOP, firstPage, launch, newUser, registerByApi, screenshot, signIn, WEB_URL } from './support/browser';

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** Waits until the service worker is active and controls the page (the first worker claims open tabs). */
async function waitForWorker(page: Page): Promise<{ scope: string; state: string | undefined; script: string | undefined }> {
  const registration = await page.evaluate(async () => {
    const ready = await navigator.serviceWorker.ready;
    const worker = ready.active;
    if (worker && worker.state !== 'activated')
      await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
    return { scope: ready.scope, state: worker?.state, script: worker?.scriptURL };
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return registration;
}

describe('the installable app', () => {
  it('links a valid web app manifest whose icons load', async () => {
    const html = await (await fetch(`${WEB_URL}/notes`, { headers: { accept: 'text/html' } })).text();
    const href = /<link rel="manifest" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBe('/manifest.webmanifest');

    const response = await fetch(`${WEB_URL}${href}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/manifest\+json/);
    const manifest = (await response.json()) as Manifest;
    expect(manifest).toMatchObject({ name: 'MicroNote', short_name: 'MicroNote', start_url: '/notes', scope: '/', display: 'standalone' });
    // What Chromium asks of an installable app: a 192 px and a 512 px PNG, plus a maskable one for Android.
    const sizes = manifest.icons.filter((icon) => icon.type === 'image/png').map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const image = await fetch(`${WEB_URL}${icon.src}`);
      expect({ src: icon.src, status: image.status, type: image.headers.get('content-type') }).toEqual({
        src: icon.src,
        status: 200,
        type: expect.stringContaining(icon.type),
      });
    }
  });

  it('serves the worker and the page uncached, so a new build is found at once', async () => {
    for (const path of ['/sw.js', '/']) {
      const response = await fetch(`${WEB_URL}${path}`, { headers: { accept: path === '/' ? 'text/html' : '*/*' } });
      expect({ path, status: response.status, cache: response.headers.get('cache-control') }).toEqual({
        path,
        status: 200,
        cache: 'no-cache',
      });
    }
    const worker = await (await fetch(`${WEB_URL}/sw.js`)).text();
    // The precache list is injected at build time and holds the shell and Web Push's script.
    expect(worker).toContain('index.html');
    expect(worker).toContain('push-sw.js');
  });
});

describe('the app shell offline', () => {
  const user = newUser('Offline Olga');
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await registerByApi(user);
    context = await launch(DESKTOP);
    page = await firstPage(context);
    await signIn(page, user);
  });

  afterAll(async () => {
    await context?.setOffline(false);
    await context?.close();
  });

  it('registers one worker at the root scope that controls the page', async () => {
    const registration = await waitForWorker(page);
    expect(registration).toEqual({ scope: `${WEB_URL}/`, state: 'activated', script: `${WEB_URL}/sw.js` });
  });

  it('has the whole build in its cache, the lazy screens and the German strings included', async () => {
    await waitForWorker(page);
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    const built = (await (await fetch(`${WEB_URL}/sw.js`)).text()).match(/assets\/[\w.-]+\.(js|css)/g) ?? [];
    expect(built.length).toBeGreaterThan(10);
    expect(cached).toEqual(
      expect.arrayContaining(['/index.html', '/push-sw.js', '/manifest.webmanifest', ...built.map((path) => `/${path}`)]),
    );
    expect(cached.some((path) => /\/assets\/todos-page-[\w-]+\.js$/.test(path))).toBe(true);
    expect(cached.some((path) => /\/assets\/de-[\w-]+\.js$/.test(path))).toBe(true);
  });

  it('starts the app from the worker with the network gone', async () => {
    await waitForWorker(page);
    await context.setOffline(true);
    try {
      // A reload and a deep link: the app's own page (not Chromium's "No internet" page) from the cache.
      for (const path of ['/notes', '/todos']) {
        await page.goto(`${WEB_URL}${path}`);
        await page.locator('#main').waitFor();
        expect(await page.title()).toContain('MicroNote');
        const stylesheet = await page.evaluate(() => document.styleSheets.length);
        expect(stylesheet).toBeGreaterThan(0);
      }
      await screenshot(page, '60-offline-shell');
    } finally {
      await context.setOffline(false);
    }
    // Back online, the same tab signs in again and works.
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Nothing to do yet').waitFor();
  });
});
