import { removeJobsData } from '@ies/jobs';
import { consumeEventGroup, type EventConsumer, type PlatformEvent } from '@ies/events';
import { connectRedis, type Redis } from '@ies/redis';
import { startLoggedProcess, testEngines, uniqueName, type LoggedProcess } from '@ies/testkit';
import { createLogger } from '@ies/logger';
import { startContracts, type ContractsHarness } from './contracts-harness';

/**
 * Issue 11: a change made through a subgraph reaches a consumer group on the platform's stream
 * through the relay of the service's worker (real worker processes, real Redis and FerretDB).
 */
describe('Domain events from a change made through the subgraphs', () => {
  const prefix = uniqueName('contract_events');
  let h: ContractsHarness;
  let redis: Redis;
  let consumer: EventConsumer;
  const workers: LoggedProcess[] = [];
  const arrived: PlatformEvent[] = [];
  const waiters = new Set<() => void>();
  /** Resolves with the first event (arrived or to come) that matches. */
  const eventWhere = (match: (event: PlatformEvent) => boolean) =>
    new Promise<PlatformEvent>((resolve) => {
      const check = () => {
        const found = arrived.find(match);
        if (!found) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });

  beforeAll(async () => {
    h = await startContracts('contract_events');
    redis = await connectRedis({ url: testEngines().redisUrl });
    consumer = consumeEventGroup({
      redis,
      prefix,
      group: 'test-partner',
      consumer: 'c1',
      logger: createLogger('test', 'silent'),
      fromStart: true,
      handle: async (event) => {
        arrived.push(event);
        for (const check of [...waiters]) check();
      },
    });
    await consumer.ready;
    const common = {
      MONGODB_URI: testEngines().mongoUri,
      INTERNAL_SIGNING_SECRET: h.catchments.secret,
      REDIS_URL: testEngines().redisUrl,
      QUEUE_PREFIX: prefix,
      EVENTS_RELAY_POLL_MS: '50',
      WORKER_HEALTH_PORT: '0',
    };
    workers.push(
      startLoggedProcess('services/catchments/src/worker.ts', {
        ...common,
        CATCHMENTS_DB_NAME: h.catchments.connection.name,
      }),
      startLoggedProcess('services/contracts/src/worker.ts', {
        ...common,
        CONTRACTS_DB_NAME: h.connection.name,
        CATCHMENTS_SUBGRAPH_URL: h.catchments.url,
        CATCHMENT_SYNC_EVERY_MS: '3600000',
      }),
    );
    await Promise.all(
      workers.map((worker) => worker.waitForLog((line) => line.msg === 'relaying domain events')),
    );
  });
  afterAll(async () => {
    for (const worker of workers) expect(await worker.stop()).toBe(0);
    await consumer?.stop();
    await redis?.quit();
    await removeJobsData({ redisUrl: testEngines().redisUrl, prefix });
    await h?.stop();
  });

  it('delivers the SSM assignment from the catchments worker and the contract creation from the contracts worker', async () => {
    const assigned = await h.catchments
      .as(h.catchments.ministry)
      .query(
        `mutation { assignServiceSystemManager(input: { catchmentId: "northwest", serviceSystemManagerId: "serco-canada", reason: "Phase 3 award" }) { ok } }`,
      );
    expect(assigned.body.data!.assignServiceSystemManager.ok).toBe(true);
    const created = await h.ministry.query(
      `mutation($input: CreateContractInput!) { createContract(input: $input) { ok contract { id } } }`,
      {
        input: {
          catchmentId: 'northwest',
          termStartDate: '2026-04-01',
          termEndDate: '2029-03-31',
          funding: { fixed: 40_000_000_00, performanceBased: 10_000_000_00 },
          targets: [{ fiscalYear: 2026, quarter: 1, measure: 'ACTION_PLANS_STARTED', value: 2500 }],
          reason: 'Phase 3 award',
        },
      },
    );
    expect(created.body.data!.createContract).toEqual({ ok: true, contract: { id: 'contract-northwest' } });

    const assignment = await eventWhere((e) => e.type === 'CatchmentServiceSystemManagerAssigned');
    expect(assignment).toMatchObject({
      service: 'catchments',
      catchmentId: 'northwest',
      subject: { typename: 'CatchmentArea', id: 'northwest' },
      data: { serviceSystemManagerId: 'serco-canada' },
    });
    const contract = await eventWhere((e) => e.type === 'ContractCreated');
    expect(contract).toEqual({
      id: expect.any(String),
      type: 'ContractCreated',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      catchmentId: 'northwest',
      subject: { typename: 'Contract', id: 'contract-northwest' },
      data: { serviceSystemManagerId: 'serco-canada' },
      version: 1,
      service: 'contracts',
    });
    // The event on the stream is the one the change wrote into its change-log record.
    const record = await h.models.changeLog.findOne({ subjectId: 'contract-northwest', version: 1 }).lean();
    expect(record!.events[0]!.id).toBe(contract.id);
  });

  it('delivers a catchment’s period change, an agreement’s creation and its status change', async () => {
    const dates = {
      planningStartDate: '2030-01-07',
      transitionStartDate: '2030-04-01',
      iesDeliveryStartDate: '2031-01-06',
    };
    const periods = await h.catchments
      .as(h.catchments.ministry)
      .query(
        `mutation($input: SetCatchmentPeriodDatesInput!) { setCatchmentPeriodDates(input: $input) { ok error { code message } } }`,
        { input: { catchmentId: 'windsor-sarnia', reason: 'Phase 4 schedule', ...dates } },
      );
    expect(periods.body.data!.setCatchmentPeriodDates).toEqual({ ok: true, error: null });
    const created = await h.ministry.query(
      `mutation($input: CreateProviderAgreementInput!) { createProviderAgreement(input: $input) { ok error { code message field } agreement { id } } }`,
      {
        input: {
          catchmentId: 'london',
          providerId: 'sp-london-1',
          programIds: ['employment-service'],
          siteIds: ['sp-london-1-site-1'],
          termStartDate: '2031-04-01',
          termEndDate: '2032-03-31',
          funding: { fixed: 1_000_000_00, performanceBased: 0 },
          targets: [],
          reason: 'Renewal',
        },
      },
    );
    expect(created.body.data!.createProviderAgreement).toMatchObject({ ok: true, error: null });
    const agreementId = created.body.data!.createProviderAgreement.agreement.id as string;
    const activated = await h.ministry.query(
      `mutation($input: ChangeAgreementStatusInput!) { changeAgreementStatus(input: $input) { ok error { code message field } } }`,
      { input: { agreementId, status: 'ACTIVE', reason: 'Signed by both parties' } },
    );
    expect(activated.body.errors).toBeUndefined();
    expect(activated.body.data!.changeAgreementStatus).toEqual({ ok: true, error: null });

    expect(
      await eventWhere((e) => e.type === 'CatchmentPeriodsChanged' && e.catchmentId === 'windsor-sarnia'),
    ).toMatchObject({
      service: 'catchments',
      subject: { typename: 'CatchmentArea', id: 'windsor-sarnia' },
      data: { after: dates },
    });
    expect(
      await eventWhere((e) => e.type === 'AgreementCreated' && e.subject.id === agreementId),
    ).toMatchObject({
      service: 'contracts',
      catchmentId: 'london',
      subject: { typename: 'ProviderAgreement', id: agreementId },
      data: { providerId: 'sp-london-1' },
      version: 1,
    });
    expect(
      await eventWhere((e) => e.type === 'AgreementStatusChanged' && e.subject.id === agreementId),
    ).toMatchObject({
      catchmentId: 'london',
      data: { providerId: 'sp-london-1', from: 'DRAFT', to: 'ACTIVE' },
      version: 2,
    });
  });
});
