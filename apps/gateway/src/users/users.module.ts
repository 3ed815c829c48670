import { Module } from '@nestjs/common';

import { AccountDataService } from './account-data.service';
import { AppImportService } from './imports/app-import.service';
import { TimeZoneResolver } from './time-zone-resolver';
import { UserDirectory } from './user-directory';
import { UsersHttpController } from './users.http.controller';

/**
 * /api/users/me (profile, export, import) and the people directory: `UserDirectory` is exported
 * for the feature modules that show other users (note and list members, owners, notification actors),
 * `TimeZoneResolver` for those whose answer depends on the user's day (todo views).
 */
@Module({
  controllers: [UsersHttpController],
  providers: [AccountDataService, AppImportService, UserDirectory, TimeZoneResolver],
  exports: [UserDirectory, TimeZoneResolver],
})
export class UsersModule {}
