import { DEFAULT_CLIENT_HEALTH_OPTIONS } from './client-health.options';
import { clientHealthOf, type ClientHealthInputs } from './client-health';

const healthy: ClientHealthInputs = { activeProjectsRed: 0, activeProjectsAmber: 0, oldestOverdueDays: 0, marginPct: '40.00' };
const sut = (inputs: Partial<ClientHealthInputs>) => clientHealthOf({ ...healthy, ...inputs }, DEFAULT_CLIENT_HEALTH_OPTIONS);

describe(clientHealthOf.name, () => {
  it('should be GREEN without reasons when every rule passes', () => {
    expect(sut({})).toEqual({ status: 'GREEN', reasons: [], marginConsidered: true });
  });

  it('should be RED for a RED project, overdue AR above 60 days or margin below the floor, worst reasons first', () => {
    const health = sut({ activeProjectsRed: 2, activeProjectsAmber: 1, oldestOverdueDays: 61, marginPct: '9.99' });

    expect(health.status).toBe('RED');
    expect(health.reasons).toEqual([
      { code: 'PROJECT_RED', status: 'RED', message: '2 active projects are RED' },
      { code: 'AR_OVERDUE', status: 'RED', message: 'the oldest overdue invoice is 61 days past due (RED above 60)' },
      { code: 'MARGIN_BELOW_FLOOR', status: 'RED', message: 'margin 9.99 % is below the floor of 10 %' },
      { code: 'PROJECT_AMBER', status: 'AMBER', message: '1 active project is AMBER' },
    ]);
  });

  it('should be AMBER at the edges: 31 days overdue, margin 10 % (the floor itself) up to below 25 %', () => {
    expect(sut({ oldestOverdueDays: 30 }).status).toBe('GREEN');
    expect(sut({ oldestOverdueDays: 31 }).reasons).toEqual([
      { code: 'AR_OVERDUE', status: 'AMBER', message: 'the oldest overdue invoice is 31 days past due (AMBER above 30)' },
    ]);
    expect(sut({ oldestOverdueDays: 60 }).status).toBe('AMBER');
    expect(sut({ marginPct: '10.00' }).reasons).toEqual([
      { code: 'MARGIN_BELOW_TARGET', status: 'AMBER', message: 'margin 10.00 % is below the target of 25 %' },
    ]);
    expect(sut({ marginPct: '25.00' }).status).toBe('GREEN');
  });

  it('should decide without margin and say so when there is none', () => {
    expect(sut({ marginPct: null, oldestOverdueDays: 45 })).toEqual({
      status: 'AMBER',
      reasons: [{ code: 'AR_OVERDUE', status: 'AMBER', message: 'the oldest overdue invoice is 45 days past due (AMBER above 30)' }],
      marginConsidered: false,
    });
  });
});
