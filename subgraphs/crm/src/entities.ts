import { ClientEntity } from './client/client.entity';

export const crmEntities = [ClientEntity];
