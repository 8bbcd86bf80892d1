import { defaultPolicyBundle, type PolicyBundle } from '@concord/policy';
import { useGovernance } from '../../__tests__/use-governance';
import { PolicyBundleService, bundleSha256 } from '../policy-bundle.service';

const steward = { sub: 'steward-ann', roles: ['data_steward'] };

/** A bundle as an earlier release stored it: without some of today's defaults. */
function olderBundle(): PolicyBundle {
  const bundle = defaultPolicyBundle();
  delete bundle.classifications['LegalEntity.margin'];
  delete bundle.classifications['Project.margin'];
  delete bundle.roles.operator;
  delete bundle.ownership.Milestone;
  const legalEntity = bundle.ownership.LegalEntity;
  delete legalEntity.fields!.costToDate;
  return bundle;
}

describe('default policy entries new in a release', () => {
  const service = useGovernance();
  const sut = () => service.app.get(PolicyBundleService);

  beforeEach(async () => {
    // a database an earlier release made: its version 1 lacks what this release adds
    const bundle = olderBundle();
    await service.dataSource.transaction(async (manager) => {
      // the table is append-only (a trigger): replica mode lets the test lay an older history in its place
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query('DELETE FROM governance.policy_bundle');
      await manager.query(
        `INSERT INTO governance.policy_bundle (version, bundle, sha256, actor, reason, created_at) VALUES (1, $1, $2, 'system', 'the default policy bundle', now())`,
        [JSON.stringify(bundle), bundleSha256(bundle)],
      );
    });
  });

  it('should publish exactly the new defaults as the next version, as system, and nothing the second time', async () => {
    const adopted = await sut().adoptNewDefaults();
    const again = await sut().adoptNewDefaults();

    const defaults = defaultPolicyBundle();
    expect(adopted?.version).toBe(2);
    expect(adopted?.classifications['LegalEntity.margin']).toBe(defaults.classifications['LegalEntity.margin']);
    expect(adopted?.classifications['Project.margin']).toBe(defaults.classifications['Project.margin']);
    expect(adopted?.roles.operator).toEqual(defaults.roles.operator);
    expect(adopted?.ownership.Milestone).toEqual(defaults.ownership.Milestone);
    expect(adopted?.ownership.LegalEntity).toEqual(defaults.ownership.LegalEntity);
    expect(again).toBeNull();
    const [event] = await service.dataSource.query(
      `SELECT actor, changed_fields FROM governance.audit_event WHERE action = 'policy.publish' AND entity_id = '2'`,
    );
    expect(event.actor).toEqual({ sub: 'system', roles: ['system'] });
    expect([...event.changed_fields].sort()).toEqual(
      [
        'classifications.LegalEntity.margin',
        'classifications.Project.margin',
        'ownership.LegalEntity',
        'ownership.Milestone',
        'roles.operator',
      ].sort(),
    );
  });

  it('should leave alone what a steward changed or removed, and what the stored bundle already knew', async () => {
    const stored = olderBundle();
    // a steward moved a field's record and removed a classification in an earlier version
    await sut().publish(
      {
        ownership: { Project: { ...stored.ownership.Project, fields: { ...stored.ownership.Project.fields, name: 'crm' } } },
        classifications: { 'Client.name': null },
      },
      steward,
      'steward decisions',
    );

    const adopted = await sut().adoptNewDefaults();

    expect(adopted?.version).toBe(3);
    expect(adopted?.ownership.Project.fields?.name).toBe('crm');
    expect(adopted?.classifications['Client.name']).toBeUndefined();
    expect(adopted?.classifications['Project.margin']).toBe(defaultPolicyBundle().classifications['Project.margin']);
  });
});
