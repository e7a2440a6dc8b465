import { once } from 'node:events';
import { CatchmentSync } from '@ies/catchment-read-model';
import { createJobs, removeJobsData } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { testEngines, uniqueName } from '@ies/testkit';
import { startCatchmentSyncJob, type CatchmentSyncJob } from '@ies/catchment-read-model';
import { seedNetwork } from '../src/seed/network-seed';
import { startContracts, type ContractsHarness } from './contracts-harness';

const network = seedNetwork();
const londonCurrent = network.agreements.find(
  (a) => a.catchmentId === 'london' && a.termStartDate === '2025-04-01',
)!;

describe('Catchment period read model, before any sync has run', () => {
  let h: ContractsHarness;
  let job: CatchmentSyncJob | undefined;

  beforeAll(async () => {
    // On-demand syncs are not rate-limited here, so tests do not depend on one another's syncs; the
    // rate limit has a test of its own below.
    h = await startContracts('contracts_sync', { sync: false, onDemandMinIntervalMs: 0 });
  });
  const queuePrefix = uniqueName('contracts_sync');
  afterAll(async () => {
    await job?.close();
    await removeJobsData({ redisUrl: testEngines().redisUrl, prefix: queuePrefix });
    await h.stop();
  });

  const changeStatus = (who: ContractsHarness['ministry'], input: Record<string, unknown>) =>
    who.query(
      `mutation($input: ChangeAgreementStatusInput!) { changeAgreementStatus(input: $input) { ok error { code message field } agreement { status version } } }`,
      {
        input: { reason: 'Provider closed its London office', ...input },
      },
    );

  describe('when a gated mutation meets a catchment with no synced row', () => {
    it('refreshes once on demand, then applies the period rule', async () => {
      await h.copies.deleteMany({ catchmentId: 'london' });
      expect(await h.periodsOf('london')).toBeUndefined();
      const { body } = await changeStatus(h.ssmOf('london'), {
        agreementId: londonCurrent._id,
        status: 'TERMINATED',
        asOf: '2025-06-01',
      });
      expect(body.data!.changeAgreementStatus).toEqual({
        ok: true,
        error: null,
        agreement: { status: 'TERMINATED', version: 2 },
      });
      expect(await h.periodsOf('london')).toMatchObject({
        iesDeliveryStartDate: '2024-01-01',
        ssmId: 'city-of-london',
      });
      const history = await h
        .ssmOf('london')
        .query(
          `query($id: ID!) { providerAgreement(id: $id) { amendments { number kind before { status } after { status } } } }`,
          { id: londonCurrent._id },
        );
      expect(history.body.data!.providerAgreement.amendments).toEqual([
        { number: 1, kind: 'STATUS', before: { status: 'ACTIVE' }, after: { status: 'TERMINATED' } },
      ]);
    });

    it('refuses with a typed error when the catchment is still unknown after the refresh', async () => {
      const { body } = await h.ministry.query(
        `mutation($input: CreateProviderAgreementInput!) { createProviderAgreement(input: $input) { ok error { code message field } } }`,
        {
          input: {
            catchmentId: 'atlantis',
            providerId: 'sp-london-1',
            programIds: ['employment-service'],
            siteIds: ['sp-london-1-site-1'],
            termStartDate: '2026-04-01',
            termEndDate: '2027-03-31',
            funding: { fixed: 1, performanceBased: 0 },
            targets: [],
            reason: 'test',
          },
        },
      );
      expect(body.data!.createProviderAgreement).toEqual({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: 'No catchment atlantis',
          field: 'input.catchmentId',
        },
      });
    });

    it('refuses a status change the lifecycle does not allow, leaving the version as it was', async () => {
      const expired = network.agreements.find((a) => a.catchmentId === 'london' && a.status === 'EXPIRED')!;
      const { body } = await changeStatus(h.ministry, {
        agreementId: expired._id,
        status: 'ACTIVE',
        asOf: '2025-06-02',
      });
      expect(body.data!.changeAgreementStatus.error).toEqual({
        code: 'RULE_VIOLATION',
        message: 'An agreement cannot go from EXPIRED to ACTIVE',
        field: 'input.status',
      });
      expect((await h.agreements.findById(expired._id).lean())!.version).toBe(1);
    });
  });

  describe('on-demand syncs', () => {
    it('join one already running and start at most once per interval', async () => {
      // A sync of the test's own, so its rate limit is not shared with the service's.
      const sync = new CatchmentSync({
        model: h.copies,
        catchmentsUrl: h.catchments.url,
        internalSecret: h.catchments.secret,
        logger: createLogger('contracts', 'silent'),
      });
      const catchmentQueries = () => h.catchments.commands.count('find', 'catchment_areas');
      h.catchments.commands.reset();
      await Promise.all([sync.syncOnDemand(0), sync.syncOnDemand(60_000)]);
      expect(catchmentQueries()).toBe(1);
      await sync.syncOnDemand(60_000);
      expect(catchmentQueries()).toBe(1);
      await sync.syncOnDemand(0);
      expect(catchmentQueries()).toBe(2);
    });
  });

  describe('the recurring BullMQ job', () => {
    it('runs the sync at once on its scheduler and fills every catchment', async () => {
      await h.copies.deleteMany({});
      const logger = createLogger('contracts', 'silent');
      job = await startCatchmentSyncJob({
        serviceName: 'contracts',
        jobs: createJobs({ redisUrl: testEngines().redisUrl, prefix: queuePrefix, logger }),
        everyMs: 3_600_000,
        sync: h.catchmentSync,
        logger,
      });
      const [completed, result] = (await once(job.worker, 'completed')) as [
        { id: string },
        { fetched: number; changed: number },
      ];
      expect(completed.id).toBeDefined();
      expect(result).toEqual({ fetched: 15, changed: 15 });
      expect(await h.copies.countDocuments({})).toBe(15);
      const schedulers = await job.queue.getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: 'catchment-period-sync', every: 3_600_000 }),
      ]);
    });
  });
});
