import './tracing';

import { authV1, PROTO_FILES } from '@micronote/proto';
import { runService } from '@micronote/server-core';

import { AppModule } from './app.module';

void runService({
  name: 'auth-service',
  module: AppModule,
  packageName: authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME,
  protoFile: PROTO_FILES.auth,
  serviceName: `${authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME}.${authV1.AUTH_SERVICE_NAME}`,
});
