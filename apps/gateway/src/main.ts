import './tracing';

import { closeOnSignals, createHttpApp } from '@micronote/server-core';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppModule } from './app.module';
import { configureGateway, gatewayFastifyOptions } from './app.setup';
import { registerUnroutedRateLimit } from './common/rate-limit/rate-limits';
import type { Env } from './config/env.validation';
import { apiDocsEnabled, validate } from './config/env.validation';
import { RealtimeIoAdapter } from './realtime/realtime-io.adapter';
import { serveSpa } from './spa/serve-spa';

async function bootstrap(): Promise<void> {
  // Fastify's options are fixed when its adapter is made, before Nest and its ConfigService exist:
  // the one read of process.env outside ConfigModule, through the same validation.
  const app = await createHttpApp(AppModule, 'gateway', gatewayFastifyOptions(validate(process.env)));
  const config = app.get(ConfigService<Env, true>);
  const docs = apiDocsEnabled({ NODE_ENV: config.get('NODE_ENV', { infer: true }), API_DOCS: config.get('API_DOCS', { infer: true }) });
  configureGateway(app, { corsOrigins: config.get('CORS_ORIGINS', { infer: true }), docs });
  registerUnroutedRateLimit(app);
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config.get('CORS_ORIGINS', { infer: true })));
  await serveSpa(app, config.get('WEB_ROOT', { infer: true }));
  await app.listen({ port: config.get('HTTP_PORT', { infer: true }), host: config.get('HOST', { infer: true }) });
  closeOnSignals(app, 'gateway');
  new Logger('gateway').log(`REST on ${await app.getUrl()}/api${docs ? ', docs at /api/docs' : ''}`);
}

bootstrap().catch((error: Error) => {
  new Logger('gateway').error(error.message);
  process.exit(1);
});
