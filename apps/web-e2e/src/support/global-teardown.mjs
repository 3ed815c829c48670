// Jest globalTeardown: removes the system the setup started (if it started one).
export { teardownTestSystem as default } from '../../../../tools/scripts/lib/test-system.mjs';
