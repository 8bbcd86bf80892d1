import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

/** A person at a client (DOMAIN.md §1 "Contact"); at most one contact per client is its primary contact. */
@ObjectType('Contact', { description: 'A person at a client account, owned by the CRM.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'contact', schema: 'crm' })
@Index('ux_contact_client_id_primary', ['clientId'], { unique: true, where: 'is_primary' })
@Index('ix_contact_client_id_name_id', ['clientId', 'name', 'id'])
@Index('ix_contact_name_id', ['name', 'id'])
@Index('ix_contact_created_at_id', ['createdAt', 'id'])
@Index('ix_contact_email', ['email'])
export class ContactEntity extends RecordEntity {
  @Field(() => ID, { description: 'The client (CRM account) the contact works for.' })
  @Column('uuid')
  clientId: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'E-mail address, stored lower case.' })
  @Column('text')
  email: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true, description: 'Job title, e.g. "CFO".' })
  @Column('text', { nullable: true })
  title: string | null;

  @Field({ description: "The client's primary contact; making another contact primary clears this one." })
  @Column('boolean', { default: false })
  isPrimary: boolean;
}
