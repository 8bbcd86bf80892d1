import { CreateClient1763900000000 } from './1763900000000-create-client';
import { CreateContactOpportunityQuote1763900100000 } from './1763900100000-create-contact-opportunity-quote';
import { CreateOutbox1763900800000 } from './1763900800000-create-outbox';

/** Every CRM migration in order; never edit one that has been committed, add a new one. */
export const crmMigrations = [CreateClient1763900000000, CreateContactOpportunityQuote1763900100000, CreateOutbox1763900800000];
