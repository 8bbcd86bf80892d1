import { CreatePsaProjects1763900400000 } from './1763900400000-create-psa-projects';
import { CreatePsaDelivery1763900500000 } from './1763900500000-create-psa-delivery';
import { CreateOutbox1763900820000 } from './1763900820000-create-outbox';
import { AddDeliveryKpiIndexes1763902200000 } from './1763902200000-add-delivery-kpi-indexes';
import { AddResourceHoursKpiIndex1763902700000 } from './1763902700000-add-resource-hours-kpi-index';
import { AddChangeOrderAllocatedTask1763902800000 } from './1763902800000-add-change-order-allocated-task';

/** Every PSA migration in order; never edit one that has been committed, add a new one. */
export const psaMigrations: Function[] = [
  CreatePsaProjects1763900400000,
  CreatePsaDelivery1763900500000,
  CreateOutbox1763900820000,
  AddDeliveryKpiIndexes1763902200000,
  AddResourceHoursKpiIndex1763902700000,
  AddChangeOrderAllocatedTask1763902800000,
];
