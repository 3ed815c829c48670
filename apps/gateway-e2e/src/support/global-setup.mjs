// Jest globalSetup: a fresh system unless GATEWAY_URL names one (tools/scripts/lib/test-system.mjs),
// and Debian's nginx for nginx.e2e-spec.ts.
import { ensureNginx } from '../../../../tools/scripts/lib/infra.mjs';
import { setupTestSystem } from '../../../../tools/scripts/lib/test-system.mjs';

export default async function globalSetup() {
  await ensureNginx();
  await setupTestSystem({ urlVariable: 'GATEWAY_URL' });
}
