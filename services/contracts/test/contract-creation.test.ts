import { startContracts, type ContractsHarness } from './contracts-harness';

describe('Creating a ministry → SSM contract', () => {
  let h: ContractsHarness;
  beforeAll(async () => {
    h = await startContracts('contract_creation');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const CREATE = `mutation($input: CreateContractInput!) { createContract(input: $input) { ok error { code message field } contract { id serviceSystemManager { id } funding { total } targets { label } } } }`;
  const input = (catchmentId: string) => ({
    catchmentId,
    termStartDate: '2026-04-01',
    termEndDate: '2029-03-31',
    funding: { fixed: 40_000_000_00, performanceBased: 10_000_000_00 },
    targets: [{ fiscalYear: 2026, quarter: 1, measure: 'ACTION_PLANS_STARTED', value: 2500 }],
    reason: 'Phase 3 award',
  });

  it('is refused while the catchment has no SSM, and to anyone but the ministry', async () => {
    const tba = await h.ministry.query(CREATE, { input: input('northeast') });
    expect(tba.body.data!.createContract.error).toMatchObject({
      code: 'RULE_VIOLATION',
      field: 'input.catchmentId',
    });
    const ssm = await h.ssmOf('northeast').query(CREATE, { input: input('northeast') });
    expect(ssm.body.data!.createContract.error.code).toBe('FORBIDDEN');
    expect(await h.connection.collection('contracts').countDocuments({ catchmentId: 'northeast' })).toBe(0);
  });

  it('follows a fresh SSM assignment in the catchments service, once per catchment', async () => {
    const assigned = await h.catchments
      .as(h.catchments.ministry)
      .query(
        `mutation { assignServiceSystemManager(input: { catchmentId: "northwest", serviceSystemManagerId: "serco-canada", reason: "Phase 3 award" }) { ok } }`,
      );
    expect(assigned.body.data!.assignServiceSystemManager.ok).toBe(true);
    const created = await h.ministry.query(CREATE, { input: input('northwest') });
    expect(created.body.data!.createContract).toEqual({
      ok: true,
      error: null,
      contract: {
        id: 'contract-northwest',
        serviceSystemManager: { id: 'serco-canada' },
        funding: { total: 50_000_000_00 },
        targets: [{ label: '2026-27 Q1' }],
      },
    });
    const again = await h.ministry.query(CREATE, { input: input('northwest') });
    expect(again.body.data!.createContract.error.code).toBe('CONFLICT');
  });
});
