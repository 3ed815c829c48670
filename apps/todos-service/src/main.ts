import './tracing';

import { PROTO_FILES, todosV1 } from '@micronote/proto';
import { runService } from '@micronote/server-core';

import { AppModule } from './app.module';
import { migrate } from './database';

void runService({
  name: 'todos-service',
  module: AppModule,
  packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
  protoFile: PROTO_FILES.todos,
  serviceName: `${todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME}.${todosV1.TODOS_SERVICE_NAME}`,
  migrate: () => migrate(),
});
