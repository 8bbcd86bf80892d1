import { Module } from '@nestjs/common';
import { ProjectModule } from '../project/project.module';
import { ClientExtensionResolver } from './client.resolver';

/** PSA's extension of the CRM Client: its projects. */
@Module({
  imports: [ProjectModule],
  providers: [ClientExtensionResolver],
})
export class ClientExtensionModule {}
