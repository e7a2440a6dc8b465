import { todayInOntario } from '@ies/calendar';
import { createJobs, removeJobsData, type Jobs } from '@ies/jobs';
import { testEngines, uniqueName } from '@ies/testkit';
import type { SweepResult } from '../src/sla-sweep/sla-sweep';
import { SLA_SWEEP_SCHEDULER, slaSweepProcessor, startSlaSweepJob } from '../src/sla-sweep/sla-sweep-job';
import {
  clientDispute,
  disputeApi,
  providerDispute,
  startDisputes,
  type DisputesHarness,
} from './disputes-harness';

describe('Dispute SLA sweep', () => {
  let h: DisputesHarness;
  const prefix = uniqueName('disputes_sweep');
  beforeAll(async () => {
    h = await startDisputes('disputes_sweep');
  });
  afterAll(async () => {
    await removeJobsData({ redisUrl: testEngines().redisUrl, prefix });
    await h.stop();
  });

  const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
  const sweepRecords = () =>
    h.models.changeLog.countDocuments({ kind: { $in: ['SLA_BREACH', 'SLA_ESCALATION'] } });
  const kindsOf = async (id: string) =>
    (await h.models.changeLog.find({ subjectId: id }).sort({ version: 1 }).lean()).map((r) => r.kind);
  const total = (results: SweepResult[]) => results.reduce((sum, r) => sum + r.breachesRecorded, 0);

  /** Disputes opened Monday 6 January 2025: acknowledge by 13 January, resolve by 10 February. */
  async function openedInJanuary() {
    const ssm = disputeApi(h.ssmOf('durham'));
    const ministry = disputeApi(h.ministry);
    const unanswered = (await ministry.open(clientDispute({ reference: unique('D-SW'), on: '2025-01-06' })))
      .dispute;
    const answered = (await ministry.open(providerDispute({ reference: unique('D-SW'), on: '2025-01-06' })))
      .dispute;
    await ssm.acknowledge({ disputeId: answered.id, reason: 'Received', on: '2025-01-08' });
    const closed = (await ministry.open(clientDispute({ reference: unique('D-SW'), on: '2025-01-06' })))
      .dispute;
    await ssm.acknowledge({ disputeId: closed.id, reason: 'Received', on: '2025-01-07' });
    await ssm.resolve({
      disputeId: closed.id,
      outcome: 'SETTLED',
      summary: 'Rebooked',
      reason: 'Agreed',
      on: '2025-01-09',
    });
    return { unanswered, answered, closed };
  }

  describe('when the acknowledgement is overdue', () => {
    it('escalates the unanswered dispute once, and a second run changes nothing', async () => {
      const { unanswered, answered, closed } = await openedInJanuary();
      const before = await sweepRecords();
      const first = await h.sweep().run('2025-01-14');
      const after = await h.ministry.query(
        `query($id: ID!) { dispute(id: $id) { status escalationLevel statusHistory { status escalationLevel on by }
          sla { breaches { clock dueOn detectedOn handling escalatedTo } clocks(asOf: "2025-01-14") { clock breached stoppedOn } } } }`,
        { id: unanswered.id },
      );
      expect(after.body.data!.dispute).toMatchObject({
        status: 'ESCALATED',
        escalationLevel: 'SSM',
        sla: {
          breaches: [
            {
              clock: 'ACKNOWLEDGE',
              dueOn: '2025-01-13',
              detectedOn: '2025-01-14',
              handling: 'ESCALATED',
              escalatedTo: 'SSM',
            },
          ],
          clocks: [
            { clock: 'ACKNOWLEDGE', breached: true, stoppedOn: null },
            { clock: 'RESOLVE', breached: false, stoppedOn: null },
          ],
        },
      });
      expect(after.body.data!.dispute.statusHistory.at(-1)).toEqual({
        status: 'ESCALATED',
        escalationLevel: 'SSM',
        on: '2025-01-14',
        by: 'system:sla-sweep',
      });
      expect(await kindsOf(answered.id)).toEqual(['OPEN', 'ACKNOWLEDGED']);
      expect(await kindsOf(closed.id)).toEqual(['OPEN', 'ACKNOWLEDGED', 'RESOLVED']);
      expect(await sweepRecords()).toBe(before + first.breachesRecorded);

      const second = await h.sweep().run('2025-01-14');
      expect(second).toMatchObject({ breachesRecorded: 0, escalated: 0 });
      expect(await kindsOf(unanswered.id)).toEqual(['OPEN', 'SLA_ESCALATION']);
    });
  });

  describe('when the resolution is overdue too', () => {
    it('escalates each breach once: the unanswered dispute to the ministry, the acknowledged one from the SSM to the ministry', async () => {
      const { unanswered, answered } = await openedInJanuary();
      await h.sweep().run('2025-02-11');
      expect(await kindsOf(unanswered.id)).toEqual(['OPEN', 'SLA_ESCALATION', 'SLA_ESCALATION']);
      expect(await kindsOf(answered.id)).toEqual(['OPEN', 'ACKNOWLEDGED', 'SLA_ESCALATION']);
      const { dispute } = (
        await h.ministry.query(`query($id: ID!) { dispute(id: $id) { escalationLevel } }`, {
          id: answered.id,
        })
      ).body.data!;
      expect(dispute.escalationLevel).toBe('MINISTRY');
      await h.sweep().run('2025-03-03');
      expect(await kindsOf(answered.id)).toEqual(['OPEN', 'ACKNOWLEDGED', 'SLA_ESCALATION']);
    });
  });

  describe('as of a later date than today', () => {
    it('is refused, by the job and by the sweep, and changes nothing', async () => {
      const { unanswered } = await openedInJanuary();
      const before = await sweepRecords();
      const job = { data: { asOf: '2099-01-01' }, updateProgress: async () => {} };
      await expect(slaSweepProcessor(h.sweep())(job as never, h.logger)).rejects.toThrow(/later than today/);
      await expect(h.sweep().run('2099-01-01')).rejects.toThrow(RangeError);
      expect(await sweepRecords()).toBe(before);
      expect(await kindsOf(unanswered.id)).toEqual(['OPEN']);
    });
  });

  describe('when sweeps run at the same time', () => {
    it('records each breach exactly once however many run', async () => {
      const { unanswered, answered } = await openedInJanuary();
      const before = await sweepRecords();
      const results = await Promise.all([1, 2, 3].map(() => h.sweep().run('2025-02-12')));
      expect(await sweepRecords()).toBe(before + total(results));
      expect(await kindsOf(unanswered.id)).toEqual(['OPEN', 'SLA_ESCALATION', 'SLA_ESCALATION']);
      expect(await kindsOf(answered.id)).toEqual(['OPEN', 'ACKNOWLEDGED', 'SLA_ESCALATION']);
    });
  });

  describe('with two real BullMQ workers on one queue', () => {
    let workers: Jobs[] = [];
    afterEach(async () => {
      await Promise.all(workers.map((w) => w.close()));
      workers = [];
    });

    it('runs on its scheduler and an extra job at once, and still escalates each breach once', async () => {
      const { unanswered, answered, closed } = await openedInJanuary();
      const before = await sweepRecords();
      const results: SweepResult[] = [];
      const twoDone = new Promise<void>((resolve, reject) => {
        const started = (jobs: Jobs) =>
          startSlaSweepJob({ jobs, sweep: h.sweep(), everyMs: 3_600_000, logger: h.logger }).then(
            ({ worker }) => {
              worker.on('completed', (_job, result) => {
                results.push(result);
                if (results.length === 2) resolve();
              });
              worker.on('failed', (_job, error) => reject(error));
              return worker;
            },
          );
        workers = [1, 2].map(() =>
          createJobs({ redisUrl: testEngines().redisUrl, prefix, logger: h.logger }),
        );
        // Both workers upsert the same scheduler, whose first job runs at once; a second job runs beside it.
        void Promise.all(workers.map(started)).then(async () => {
          const queue = await workers[0]!.queue('disputes-sla-sweep');
          await queue.add('sweep', {});
        }, reject);
      });
      await twoDone;
      expect(results.map((r) => r.asOf)).toEqual([todayInOntario(), todayInOntario()]);
      expect(await sweepRecords()).toBe(before + total(results));
      expect(await kindsOf(unanswered.id)).toEqual(['OPEN', 'SLA_ESCALATION', 'SLA_ESCALATION']);
      expect(await kindsOf(answered.id)).toEqual(['OPEN', 'ACKNOWLEDGED', 'SLA_ESCALATION']);
      expect(await kindsOf(closed.id)).toEqual(['OPEN', 'ACKNOWLEDGED', 'RESOLVED']);
      const schedulers = await (await workers[1]!.queue('disputes-sla-sweep')).getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: SLA_SWEEP_SCHEDULER, every: 3_600_000 })]);
    });
  });
});
