import { Module } from '@nestjs/common';
import { ProjectModule } from '../project/project.module';
import { ClientDeliveryService } from './client-delivery.service';
import { ClientExtensionResolver } from './client.resolver';

/** PSA's extension of the CRM Client: its projects, their health and their cost. */
@Module({
  imports: [ProjectModule],
  providers: [ClientDeliveryService, ClientExtensionResolver],
})
export class ClientExtensionModule {}
