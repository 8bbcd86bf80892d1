import { ClientEntity } from './client/client.entity';
import { ContactEntity } from './contact/contact.entity';
import { OpportunityEntity } from './opportunity/opportunity.entity';
import { QuoteLineEntity } from './quote/quote-line.entity';
import { QuoteEntity } from './quote/quote.entity';

export const crmEntities = [ClientEntity, ContactEntity, OpportunityEntity, QuoteEntity, QuoteLineEntity];
