import { principalOf } from '@ies/testkit';
import { refuseTransition, type DisputeParties } from '../src/common/access';
import { ESCALATION_LEVELS } from '../src/dispute/dispute-lifecycle';

/**
 * Who may withdraw a dispute, role by role: the complainant's side (the ministry always records it),
 * never the respondent. Callers reach this rule only for disputes they see.
 */
describe('Disputes: who may withdraw', () => {
  const ministry = principalOf('MINISTRY', { subject: 'ministry-officer' });
  const ssm = principalOf('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] });
  const provider = principalOf('PROVIDER', { subject: 'staff-sp-durham-1', providerIds: ['sp-durham-1'] });
  const clientAgainstProvider: Omit<DisputeParties, 'level'> = {
    kind: 'CLIENT',
    catchmentId: 'durham',
    providerId: 'sp-durham-1',
  };
  const clientAgainstSsm: Omit<DisputeParties, 'level'> = { ...clientAgainstProvider, providerId: null };
  const providerComplaint: Omit<DisputeParties, 'level'> = {
    ...clientAgainstProvider,
    kind: 'SERVICE_PROVIDER',
  };
  const withdraws = (principal: typeof ministry, parties: Omit<DisputeParties, 'level'>) =>
    ESCALATION_LEVELS.map((level) => refuseTransition(principal, { ...parties, level }, 'WITHDRAWN')?.code);

  it.each([
    [
      'a client dispute about a provider',
      clientAgainstProvider,
      { MINISTRY: true, SSM: true, PROVIDER: false },
    ],
    ['a client dispute about the SSM', clientAgainstSsm, { MINISTRY: true, SSM: false, PROVIDER: false }],
    ['a service-provider dispute', providerComplaint, { MINISTRY: true, SSM: false, PROVIDER: true }],
  ] as const)('%s, at every level', (_what, parties, allowed) => {
    for (const [role, principal] of [
      ['MINISTRY', ministry],
      ['SSM', ssm],
      ['PROVIDER', provider],
    ] as const) {
      const expected = allowed[role] ? undefined : 'FORBIDDEN';
      expect([role, withdraws(principal, parties)]).toEqual([role, ESCALATION_LEVELS.map(() => expected)]);
    }
  });
});
