import { randomInt } from 'node:crypto';

import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

import type { ApiResponse, TestUser } from './support/api';
import { expectError, expectRateLimited, freshIp, GATEWAY_URL, newUser, register, sendFrom } from './support/api';
import type { AppProcess } from './support/processes';
import { sleep, startApp } from './support/processes';

/**
 * Attacks on the rate limits and the password lock, each of which must fail:
 * - spelling the login route another way to dodge the sign-in limit;
 * - spelling the login (case, spaces, accents, the e-mail address) another way to dodge the lock;
 * - firing many guesses in parallel so that they all pass the check before any is counted;
 * - guessing through the signed-in routes that check a password, and probing e-mail addresses
 *   through PATCH /users/me conflicts;
 * - opening sockets without limit (per IP and per user, across two gateway instances).
 * Requests come from loopback addresses of their own (127.x.y.z), so their per-IP counters start
 * at zero on the shared Redis. The main gateway (GATEWAY_URL) runs with very high AUTH/API limits;
 * the password lock applies whatever they say. Attacks that need low limits use gateways of their own.
 */

/** A user whose username has letters that take accents (`ae_…`). */
async function registerAccentable(): Promise<Awaited<ReturnType<typeof register>>> {
  const base = newUser();
  const user: TestUser = { ...base, username: `ae_${base.username.slice(2)}` };
  return register(user);
}

/** A socket.io handshake from `from`: resolves to the socket, or rejects with the refusal (`connect_error` message). */
function handshake(url: string, token: string, from: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token }, localAddress: from } as never);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error) => {
      socket.close();
      reject(error);
    });
  });
}

const refusal = (promise: Promise<Socket>) =>
  promise.then(
    (socket) => {
      socket.close();
      return 'connected';
    },
    (error: Error) => error.message,
  );

describe('security: rate limits that cannot be dodged', () => {
  describe('the login route, however it is spelt', () => {
    let gateway: AppProcess;

    beforeAll(async () => {
      gateway = await startApp('gateway', { AUTH_RATE_LIMIT: '5', API_RATE_LIMIT: '1000' });
    }, 30_000);

    afterAll(async () => {
      await gateway?.stop();
    });

    it('percent-encoded and query-string spellings of /api/auth/login count against AUTH_RATE_LIMIT', async () => {
      const ip = freshIp();
      const spellings = [
        '/api/auth/%6Cogin',
        '/api/%61uth/login',
        '/api/auth/login?x=1',
        '/api/auth/%6c%6f%67%69%6e',
        '/api/auth/log%69n?',
      ];
      for (const path of spellings) {
        const response = await sendFrom(gateway.url, ip, 'POST', path, {
          body: { login: `nobody_${randomInt(1e9)}`, password: 'wrong password' },
        });
        expect({ path, status: response.status }).toEqual({ path, status: 401 });
      }
      expectRateLimited(
        await sendFrom(gateway.url, ip, 'POST', '/api/auth/%6Cogin', { body: { login: 'nobody', password: 'wrong password' } }),
      );
      expectRateLimited(
        await sendFrom(gateway.url, ip, 'POST', '/api/auth/login', { body: { login: 'nobody', password: 'wrong password' } }),
      );
    });

    it('other case, doubled or trailing slashes reach no login handler at all (404)', async () => {
      const ip = freshIp();
      for (const path of ['/API/auth/login', '/api/auth//login', '/api/auth/login/', '//api/auth/login', '/api/Auth/login']) {
        const response = await sendFrom(gateway.url, ip, 'POST', path, { body: { login: 'nobody', password: 'wrong password' } });
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
    });
  });

  describe('the password lock, keyed on the resolved account', () => {
    it('spelling variants of the login and the e-mail address share one budget; the right password is then refused too', async () => {
      const victim = await registerAccentable();
      const { username, email, password } = victim.credentials;
      const variants = [
        ` ${username}`,
        username.toUpperCase(),
        `á${username.slice(1)}`,
        `${username} `,
        email.toUpperCase(),
        `ÁÉ${username.slice(2)}`,
      ];
      const ip = freshIp();
      for (let i = 0; i < 10; i++) {
        const response = await sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', {
          body: { login: variants[i % variants.length], password: `wrong-${i}-guess` },
        });
        expect(response.status).toBe(401);
      }
      const eleventh = await sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', { body: { login: username, password } });
      expectRateLimited(eleventh);
      expect(Number(eleventh.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
      expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
      // The account owner elsewhere is not locked out.
      expect((await sendFrom(GATEWAY_URL, freshIp(), 'POST', '/api/auth/login', { body: { login: email, password } })).status).toBe(200);
    });

    it('parallel wrong guesses cannot all pass the check: at most 10 are tried', async () => {
      const victim = await register();
      const ip = freshIp();
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', {
            body: { login: victim.credentials.username, password: `parallel-${i}-guess` },
          }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      // Only 401 (a guess that was tried) or 429; on a loaded machine a tried guess may also time out (503).
      expect(statuses.filter((s) => s !== 401 && s !== 429 && s !== 503)).toEqual([]);
      expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30);
    });

    it('unknown logins are limited too (no unlimited probing of names)', async () => {
      const ip = freshIp();
      const name = `ghost_${randomInt(1e9)}`;
      for (let i = 0; i < 10; i++) {
        expect(
          (
            await sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', {
              body: { login: i % 2 ? name.toUpperCase() : ` ${name}`, password: 'wrong guess' },
            })
          ).status,
        ).toBe(401);
      }
      expectRateLimited(await sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', { body: { login: name, password: 'wrong guess' } }));
    });

    it('wrong current passwords on password change, account deletion and e-mail change spend the same budget as sign-in', async () => {
      const user = await register();
      const other = await register();
      const { password, username } = user.credentials;
      const token = user.accessToken;
      const ip = freshIp();
      const wrong = (response: ApiResponse) => expect(expectError(response, 403)).toMatchObject({ code: 'WRONG_PASSWORD' });
      for (let i = 0; i < 3; i++) {
        wrong(
          await sendFrom(GATEWAY_URL, ip, 'POST', '/api/users/me/password', {
            token,
            body: { currentPassword: `nope-${i}-nope`, newPassword: 'brand-new-password' },
          }),
        );
      }
      for (let i = 0; i < 3; i++)
        wrong(await sendFrom(GATEWAY_URL, ip, 'DELETE', '/api/users/me', { token, body: { password: `nope-${i}-nope` } }));
      for (let i = 0; i < 2; i++) {
        wrong(
          await sendFrom(GATEWAY_URL, ip, 'PATCH', '/api/users/me', {
            token,
            body: { email: `new_${randomInt(1e9)}@example.com`, currentPassword: 'nope-nope' },
          }),
        );
      }
      for (let i = 0; i < 2; i++)
        expect(
          (await sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', { body: { login: username, password: 'nope-nope' } })).status,
        ).toBe(401);
      // 10 spent: the right password is refused everywhere from this address, sign-in included.
      expectRateLimited(await sendFrom(GATEWAY_URL, ip, 'DELETE', '/api/users/me', { token, body: { password } }));
      expectRateLimited(
        await sendFrom(GATEWAY_URL, ip, 'POST', '/api/users/me/password', {
          token,
          body: { currentPassword: password, newPassword: 'brand-new-password' },
        }),
      );
      expectRateLimited(await sendFrom(GATEWAY_URL, ip, 'POST', '/api/auth/login', { body: { login: username, password } }));
      // The e-mail probe is no oracle any more: taken or free, the answer is the same 429.
      expectRateLimited(
        await sendFrom(GATEWAY_URL, ip, 'PATCH', '/api/users/me', {
          token,
          body: { email: other.credentials.email, currentPassword: password },
        }),
      );
      expectRateLimited(
        await sendFrom(GATEWAY_URL, ip, 'PATCH', '/api/users/me', {
          token,
          body: { email: `free_${randomInt(1e9)}@example.com`, currentPassword: password },
        }),
      );
      // The account still works from elsewhere.
      expect((await sendFrom(GATEWAY_URL, freshIp(), 'GET', '/api/users/me', { token })).status).toBe(200);
    });

    it('an e-mail change needs the current password, and e-mail conflicts spend the budget (no 50 req/s enumeration oracle)', async () => {
      const user = await register();
      const victims = await Promise.all([register(), register()]);
      const { password } = user.credentials;
      const token = user.accessToken;
      const ip = freshIp();
      const missing = await sendFrom(GATEWAY_URL, ip, 'PATCH', '/api/users/me', {
        token,
        body: { email: `new_${randomInt(1e9)}@example.com` },
      });
      expect(expectError(missing, 400)).toMatchObject({ code: 'CURRENT_PASSWORD_REQUIRED' });
      const conflicts = [];
      for (let i = 0; i < 12; i++) {
        const probe = victims[i % 2].credentials.email;
        conflicts.push(
          (await sendFrom(GATEWAY_URL, ip, 'PATCH', '/api/users/me', { token, body: { email: probe, currentPassword: password } })).status,
        );
      }
      expect(conflicts.slice(0, 10)).toEqual(Array(10).fill(409));
      expect(conflicts.slice(10)).toEqual([429, 429]);
      // A name change needs no password and is not locked.
      expect((await sendFrom(GATEWAY_URL, ip, 'PATCH', '/api/users/me', { token, body: { name: 'Still Me' } })).status).toBe(200);
    });
  });

  describe('socket.io handshakes', () => {
    let gatewayA: AppProcess;
    let gatewayB: AppProcess;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      const env = { WS_HANDSHAKE_RATE_LIMIT: '5', WS_MAX_PER_USER: '3' };
      gatewayA = await startApp('gateway', env);
      gatewayB = await startApp('gateway', env);
    }, 60_000);

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await Promise.all([gatewayA?.stop(), gatewayB?.stop()]);
    });

    it('are rate-limited per IP (WS_HANDSHAKE_RATE_LIMIT per minute), before the token is checked', async () => {
      const ip = freshIp();
      const first = await Promise.all(Array.from({ length: 5 }, () => refusal(handshake(gatewayA.url, 'not-a-token', ip))));
      expect(first).toEqual(Array(5).fill('unauthorized'));
      const { accessToken } = await register();
      expect(await refusal(handshake(gatewayA.url, accessToken, ip))).toBe('rate_limited');
      // The count is shared by every gateway instance, and other addresses are not affected.
      expect(await refusal(handshake(gatewayB.url, accessToken, ip))).toBe('rate_limited');
      expect(await refusal(handshake(gatewayA.url, accessToken, freshIp()))).toBe('connected');
    });

    it('are capped per user across gateway instances (WS_MAX_PER_USER): the next is refused with too_many_connections', async () => {
      const { accessToken } = await register();
      const other = await register();
      sockets.push(await handshake(gatewayA.url, accessToken, freshIp()));
      sockets.push(await handshake(gatewayB.url, accessToken, freshIp()));
      sockets.push(await handshake(gatewayA.url, accessToken, freshIp()));
      expect(await refusal(handshake(gatewayB.url, accessToken, freshIp()))).toBe('too_many_connections');
      expect(await refusal(handshake(gatewayA.url, accessToken, freshIp()))).toBe('too_many_connections');
      // Another user is not affected.
      expect(await refusal(handshake(gatewayB.url, other.accessToken, freshIp()))).toBe('connected');
      // A closed socket gives its slot back.
      (sockets.pop() as Socket).close();
      let outcome = '';
      for (let i = 0; i < 20 && outcome !== 'connected'; i++) {
        await sleep(50);
        outcome = await refusal(handshake(gatewayB.url, accessToken, freshIp()));
      }
      expect(outcome).toBe('connected');
    });

    it('parallel handshakes of one user cannot all take a slot', async () => {
      const { accessToken } = await register();
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          handshake(i % 2 ? gatewayA.url : gatewayB.url, accessToken, freshIp()).then(
            (socket) => {
              sockets.push(socket);
              return 'connected';
            },
            (error: Error) => error.message,
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'connected')).toHaveLength(3);
      expect(outcomes.filter((o) => o === 'too_many_connections')).toHaveLength(9);
    });
  });
});
