import './tracing';

import { notesV1, PROTO_FILES } from '@micronote/proto';
import { runService } from '@micronote/server-core';

import { AppModule } from './app.module';
import { migrate } from './database';

void runService({
  name: 'notes-service',
  module: AppModule,
  packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
  protoFile: PROTO_FILES.notes,
  serviceName: `${notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME}.${notesV1.NOTES_SERVICE_NAME}`,
  migrate: () => migrate(),
});
