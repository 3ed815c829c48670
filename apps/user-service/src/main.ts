import './tracing';

import { PROTO_FILES, userV1 } from '@micronote/proto';
import { runService } from '@micronote/server-core';

import { AppModule } from './app.module';
import { migrate } from './database';

void runService({
  name: 'user-service',
  module: AppModule,
  packageName: userV1.MICRONOTE_USER_V1_PACKAGE_NAME,
  protoFile: PROTO_FILES.user,
  serviceName: `${userV1.MICRONOTE_USER_V1_PACKAGE_NAME}.${userV1.USER_SERVICE_NAME}`,
  migrate: () => migrate(),
});
