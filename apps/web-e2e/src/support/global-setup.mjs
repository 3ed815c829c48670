// Jest globalSetup: a fresh system unless WEB_URL names one (tools/scripts/lib/test-system.mjs; the
// gateway serves the SPA at /), and Debian's Chromium.
import { ensureChromium } from '../../../../tools/scripts/lib/infra.mjs';
import { setupTestSystem } from '../../../../tools/scripts/lib/test-system.mjs';

export default async function globalSetup() {
  await ensureChromium();
  await setupTestSystem({ urlVariable: 'WEB_URL' });
}
