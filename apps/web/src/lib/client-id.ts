/**
 * This tab's id, sent as `X-Client-Id` with every write; realtime events caused by those writes
 * carry it back as `clientId`, so the tab can skip its own echoes. A new id per page load.
 * (crypto.getRandomValues works on plain http too, unlike crypto.randomUUID.)
 */
function newClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'tab-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const clientId = newClientId();
