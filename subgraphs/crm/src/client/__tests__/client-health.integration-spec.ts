import { asCaller, queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';

jest.setTimeout(60_000);

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Client { id name health { status marginConsidered reasons { code status message } } } } }`;

describe('Client.health (CRM)', () => {
  // thresholds other than the defaults: the module's options reach the rules
  const sut = useTestService(
    (databaseUrl) =>
      CrmModule.forRoot({
        databaseUrl,
        clientHealth: { overdueAmberDays: 30, overdueRedDays: 44, marginFloorPct: '5', marginTargetPct: '20' },
      }),
    'crm',
  );
  let clientId: string;

  beforeAll(async () => {
    ({
      createClient: { id: clientId },
    } = await queryData(sut.graphqlUrl, `mutation($input: CreateClientInput!) { createClient(input: $input) { id } }`, {
      input: { name: 'Health Check Ltd', domain: 'health-check.example.com', ownerId: 'sales-1', currency: 'EUR' },
    }));
  });

  /** As the gateway sends it for @requires: the PSA and ERP inputs ride along with the key. */
  const withInputs = {
    activeProjectsRed: 0,
    activeProjectsAmber: 1,
    oldestOverdueDays: 45,
    marginPct: '8.50',
  };
  const overdue = { code: 'AR_OVERDUE', status: 'RED', message: 'the oldest overdue invoice is 45 days past due (RED above 44)' };
  const amberProject = { code: 'PROJECT_AMBER', status: 'AMBER', message: '1 active project is AMBER' };

  it('should compute health from the inputs with margin for a caller who may see margin', async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      ENTITIES,
      { representations: [{ __typename: 'Client', id: clientId, ...withInputs }] },
      asCaller({ sub: 'fin-1', roles: ['finance'] }),
    );

    expect(_entities).toEqual([
      {
        id: clientId,
        name: 'Health Check Ltd',
        health: {
          status: 'RED',
          marginConsidered: true,
          reasons: [
            overdue,
            amberProject,
            { code: 'MARGIN_BELOW_TARGET', status: 'AMBER', message: 'margin 8.50 % is below the target of 20 %' },
          ],
        },
      },
    ]);
  });

  it('should not let margin count, nor name it, for a caller who may not see margin', async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      ENTITIES,
      { representations: [{ __typename: 'Client', id: clientId, ...withInputs, marginPct: '1.00' }] },
      asCaller({ sub: 'rep-1', roles: ['sales'] }),
    );

    // margin 1 % would be RED below the floor: for sales it neither counts nor shows
    expect(_entities[0].health).toEqual({ status: 'RED', marginConsidered: false, reasons: [overdue, amberProject] });
    expect(JSON.stringify(_entities[0].health)).not.toContain('margin 1.00');
  });

  it('should be GREEN without reasons when PSA and ERP gave nothing', async () => {
    const { _entities } = await queryData(sut.graphqlUrl, ENTITIES, {
      representations: [
        {
          __typename: 'Client',
          id: clientId,
          activeProjectsRed: null,
          activeProjectsAmber: null,
          oldestOverdueDays: null,
          marginPct: null,
        },
      ],
    });

    expect(_entities[0].health).toEqual({ status: 'GREEN', marginConsidered: false, reasons: [] });
  });
});
