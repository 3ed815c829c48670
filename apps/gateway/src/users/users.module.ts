import { Module } from '@nestjs/common';

import { AccountDataService } from './account-data.service';
import { AppImportService } from './imports/app-import.service';
import { UserDirectory } from './user-directory';
import { UsersHttpController } from './users.http.controller';

/**
 * /api/users/me (profile, export, import) and the people directory: `UserDirectory` is exported
 * for the feature modules that show other users (note and list members, owners, notification actors).
 */
@Module({
  controllers: [UsersHttpController],
  providers: [AccountDataService, AppImportService, UserDirectory],
  exports: [UserDirectory],
})
export class UsersModule {}
