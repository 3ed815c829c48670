import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';

import { AppModule } from '../../app.module';
import { IdempotencyInterceptor } from './idempotency.interceptor';

type ModuleRef = { module?: unknown } | (new (...args: never[]) => unknown);

/** Every controller the gateway's module tree declares (static and dynamic modules alike). */
function controllersOf(root: ModuleRef, seen = new Set<unknown>()): (new (...args: never[]) => unknown)[] {
  const dynamic = typeof root === 'object' && root !== null && 'module' in root ? root : undefined;
  const moduleClass = (dynamic?.module ?? root) as object;
  if (seen.has(moduleClass)) return [];
  seen.add(moduleClass);
  const read = (key: string) => [
    ...((Reflect.getMetadata(key, moduleClass) as unknown[] | undefined) ?? []),
    ...(((dynamic as Record<string, unknown> | undefined)?.[key] as unknown[] | undefined) ?? []),
  ];
  const controllers = read(MODULE_METADATA.CONTROLLERS) as (new (...args: never[]) => unknown)[];
  const imports = read(MODULE_METADATA.IMPORTS).filter((m): m is ModuleRef => typeof m === 'function' || (typeof m === 'object' && m !== null));
  return [...controllers, ...imports.flatMap((m) => controllersOf(m, seen))];
}

function postRoutes(): { route: string; idempotent: boolean }[] {
  return controllersOf(AppModule).flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .map((name) => proto[name])
      .filter((handler): handler is object => typeof handler === 'function' && Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST)
      .map((handler) => ({
        route: `/api/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p && p !== '/').join('/')}`,
        idempotent: ((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? []).includes(IdempotencyInterceptor),
      }));
  });
}

describe('Idempotency-Key routes', () => {
  const routes = postRoutes();

  it('finds the POST routes of every controller', () => {
    expect(routes.map((r) => r.route)).toEqual(
      expect.arrayContaining(['/api/notes', '/api/notes/:id/restore', '/api/todos', '/api/auth/login', '/api/users/me/import']),
    );
  });

  it('puts @Idempotent() on every POST under /api except /api/auth/*', () => {
    const expected = routes.map((r) => ({ route: r.route, idempotent: !r.route.startsWith('/api/auth/') }));
    expect(routes).toEqual(expected);
  });
});
