import { notesV1, PROTO_FILES, todosV1 } from '@micronote/proto';
import { grpcClientsModule } from '@micronote/server-core';
import { Module } from '@nestjs/common';

import { AccountPurger } from './account-purger';
import { AccountPurgesRepository } from './account-purges.repository';

/** Finishing account deletions in the services that hold the user's data. */
@Module({
  imports: [
    grpcClientsModule([
      { packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME, protoFile: PROTO_FILES.notes, urlKey: 'GRPC_NOTES_URL' },
      { packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME, protoFile: PROTO_FILES.todos, urlKey: 'GRPC_TODOS_URL' },
    ]),
  ],
  providers: [AccountPurger, AccountPurgesRepository],
  exports: [AccountPurger, AccountPurgesRepository],
})
export class AccountsModule {}
