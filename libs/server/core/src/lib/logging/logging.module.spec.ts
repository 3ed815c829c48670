import { setTimeout as sleep } from 'node:timers/promises';

import { Body, Controller, Get, HttpException, Logger, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createHttpApp } from '../bootstrap/run-service';
import { LoggingModule, rootLogger } from './logging.module';

const APP = 'logging-spec';

@Controller()
class ProbeController {
  private readonly logger = new Logger('Probe');

  @Get('read')
  async read(): Promise<{ ok: boolean }> {
    await sleep(1);
    this.logger.warn('inside read');
    return { ok: true };
  }

  @Post('write')
  async write(@Body() body: { text: string }): Promise<{ length: number }> {
    await sleep(1);
    this.logger.warn('inside write');
    return { length: body.text.length };
  }

  @Get('items/:id')
  item(): { ok: boolean } {
    return { ok: true };
  }

  @Get('fail')
  fail(): never {
    throw new HttpException('boom', 503);
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ imports: [LoggingModule.forRoot(APP)], controllers: [ProbeController] })
class ProbeModule {}

describe('LoggingModule (HTTP)', () => {
  const lines: Record<string, unknown>[] = [];
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    rootLogger(APP, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    app = await createHttpApp(ProbeModule, APP);
    // A real socket (not inject): the body then arrives in events of its own.
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  const inject = (method: 'GET' | 'POST', url: string, payload?: object) =>
    fetch(`${base}${url}`, { method, ...(payload && { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }) });
  const line = (msg: string) => lines.filter((l) => l['msg'] === msg);

  it('puts the request id on lines logged inside the handler, after an await and after a body was read', async () => {
    await inject('GET', '/read');
    // Large enough to arrive in several chunks after the headers.
    await inject('POST', '/write', { text: 'x'.repeat(512 * 1024) });
    const [read] = line('inside read');
    const [write] = line('inside write');
    const completed = line('request completed');
    expect(read?.['reqId']).toEqual(expect.any(String));
    expect(write?.['reqId']).toEqual(expect.any(String));
    expect(read?.['reqId']).not.toBe(write?.['reqId']);
    expect(completed.map((l) => l['reqId'])).toEqual(expect.arrayContaining([read?.['reqId'], write?.['reqId']]));
    expect(write).toMatchObject({ level: 'warn', app: APP, context: 'Probe' });
  });

  it('logs each request once when answered, with method, url, status and time; 5xx at error; /health not at all', async () => {
    lines.length = 0;
    await inject('POST', '/write', { text: 'secret note text' });
    await inject('GET', '/fail');
    await inject('GET', '/health');
    const completed = line('request completed');
    expect(completed).toHaveLength(2);
    expect(completed[0]).toMatchObject({ level: 'info', req: { method: 'POST', url: '/write' }, res: { statusCode: 201 } });
    expect(completed[0]?.['responseTime']).toEqual(expect.any(Number));
    expect(completed[1]).toMatchObject({ level: 'error', req: { method: 'GET', url: '/fail' }, res: { statusCode: 503 } });
    // Bodies are never logged.
    expect(JSON.stringify(lines)).not.toContain('secret note text');
  });

  it('logs the route template, never the query string or the ids in the path', async () => {
    lines.length = 0;
    await inject('GET', '/items/4711?q=secret-term&tag=private-tag');
    await inject('GET', '/no-such-route/4712?q=other-secret');
    const completed = line('request completed');
    expect(completed.map((l) => l['req'])).toEqual([
      { method: 'GET', url: '/items/:id' },
      // No route: the path as asked, still without its query string.
      { method: 'GET', url: '/no-such-route/4712' },
    ]);
    const logged = JSON.stringify(lines);
    for (const secret of ['secret-term', 'private-tag', 'other-secret', '4711']) expect(logged).not.toContain(secret);
  });
});
