import { guardedLookup, isNonPublicAddress, pushEndpointProblem } from './push-endpoint';

describe(pushEndpointProblem.name, () => {
  it.each([
    'https://fcm.googleapis.com/fcm/send/abc',
    'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
    'https://web.push.apple.com/QHyz',
    'https://8.8.8.8/push',
    'https://[2606:4700::1111]/push',
  ])('lets %s through', (endpoint) => {
    expect(pushEndpointProblem(endpoint, false)).toBeNull();
  });

  it.each([
    ['http://push.example.com/x', /https/],
    ['ftp://push.example.com/x', /https/],
    ['https://a:b@push.example.com/x', /credentials/],
    ['https://push.example.com/x#frag', /fragment/],
    ['https://localhost:8443/x', /public host/],
    ['https://foo.localhost/x', /public host/],
    ['https://printer.local/x', /public host/],
    ['https://intranet/x', /public host/],
    ['https://127.0.0.1/x', /public host/],
    ['https://0.0.0.0/x', /public host/],
    ['https://10.0.0.1/x', /public host/],
    ['https://172.20.0.1/x', /public host/],
    ['https://192.168.1.1/x', /public host/],
    ['https://100.64.0.1/x', /public host/],
    ['https://169.254.169.254/x', /public host/],
    ['https://[::1]/x', /public host/],
    ['https://[fd00::1]/x', /public host/],
    ['https://[fe80::1]/x', /public host/],
    ['https://[::ffff:10.0.0.1]/x', /public host/],
    ['https://2130706433/x', /public host/],
    [`https://push.example.com/${'x'.repeat(1100)}`, /at most 1024/],
  ])('refuses %s', (endpoint, problem) => {
    expect(pushEndpointProblem(endpoint, false)).toMatch(problem);
  });

  it('lets private hosts through with allowPrivate (tests), never plain http', () => {
    expect(pushEndpointProblem('https://127.0.0.1:9443/push/x', true)).toBeNull();
    expect(pushEndpointProblem('http://127.0.0.1:9443/push/x', true)).toMatch(/https/);
  });
});

describe(isNonPublicAddress.name, () => {
  it('knows public from non-public addresses', () => {
    expect(isNonPublicAddress('1.1.1.1')).toBe(false);
    expect(isNonPublicAddress('2001:4860:4860::8888')).toBe(false);
    expect(isNonPublicAddress('127.0.0.53')).toBe(true);
    expect(isNonPublicAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isNonPublicAddress('not an ip')).toBe(true);
  });
});

describe(guardedLookup.name, () => {
  const lookup = (allowPrivate: boolean, host: string) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      guardedLookup(allowPrivate)(host, {}, (error, address) => resolve({ error, address })),
    );

  it('refuses a name that resolves to a non-public address at connect time (DNS rebinding), unless allowPrivate', async () => {
    expect((await lookup(false, 'localhost')).error?.code).toBe('EPUSHPRIVATE');
    expect((await lookup(true, 'localhost')).address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
