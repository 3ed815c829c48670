import { gzipSync } from 'node:zlib';

import { WEB_URL } from './support/browser';

/** Budget for the JavaScript of the first load, gzipped. */
const FIRST_LOAD_JS_BUDGET = 200 * 1024;

/**
 * The scripts a first visit loads: index.html's module scripts and module preloads, and the
 * service worker the app registers at start-up (with push-sw.js, which it imports).
 */
function firstLoadScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]);
  return [...new Set([...scripts, ...preloads, '/sw.js', '/push-sw.js'])];
}

describe('production bundle', () => {
  it(`loads at most ${FIRST_LOAD_JS_BUDGET / 1024} KB of gzipped JavaScript on the first visit`, async () => {
    const html = await (await fetch(`${WEB_URL}/`, { headers: { accept: 'text/html' } })).text();
    if (html.includes('/@vite/client'))
      throw new Error(`${WEB_URL} serves the Vite dev server; measure the build (the gateway or vite preview)`);
    const scripts = firstLoadScripts(html);
    expect(scripts.length).toBeGreaterThan(0);

    let total = 0;
    const lines: string[] = [];
    for (const src of scripts) {
      const response = await fetch(new URL(src, `${WEB_URL}/`));
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      const gzipped = gzipSync(body, { level: 9 }).length;
      total += gzipped;
      lines.push(`  ${src}: ${(body.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    }
    console.log(
      `first-load JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${FIRST_LOAD_JS_BUDGET / 1024} KB)\n${lines.join('\n')}`,
    );
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_JS_BUDGET);
  });
});
