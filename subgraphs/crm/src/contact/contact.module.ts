import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientContactsResolver } from './client-contacts.resolver';
import { ContactEntity } from './contact.entity';
import { ContactResolver } from './contact.resolver';
import { ContactService } from './contact.service';

@Module({
  imports: [TypeOrmModule.forFeature([ContactEntity])],
  providers: [ContactService, ContactResolver, ClientContactsResolver],
  exports: [ContactService],
})
export class ContactModule {}
