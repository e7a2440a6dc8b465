import { todayInOntario } from '@ies/calendar';
import { DEFAULT_SLA_POLICY, slaDueDates } from '../src/dispute/dispute-sla';
import {
  clientDispute,
  disputeApi,
  providerDispute,
  startDisputes,
  type DisputesHarness,
} from './disputes-harness';

describe('Disputes subgraph: the lifecycle through the API', () => {
  let h: DisputesHarness;
  beforeAll(async () => {
    h = await startDisputes('disputes_api');
  });
  afterAll(async () => {
    await h.stop();
  });

  const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
  const recordsOf = (id: string) => h.models.changeLog.find({ subjectId: id }).sort({ version: 1 }).lean();

  describe('when a provider opens a client dispute for a client it serves', () => {
    it('opens it at the provider level with clocks under the default policy, the SSM as a party', async () => {
      // A provider opens a dispute today (only the ministry records one opened earlier), under a
      // generated reference.
      const today = todayInOntario();
      const due = slaDueDates(today, DEFAULT_SLA_POLICY);
      const { on: _on, ...input } = clientDispute();
      const opened = await disputeApi(h.provider('sp-durham-1')).open(input);
      expect(opened.error).toBeNull();
      expect(opened.dispute).toMatchObject({
        kind: 'CLIENT',
        status: 'OPENED',
        escalationLevel: 'PROVIDER',
        reference: expect.stringMatching(/^D-\d{4}-[2-9A-Z]{8}$/),
        openedOn: today,
        version: 1,
        catchment: { id: 'durham' },
        provider: { id: 'sp-durham-1' },
        client: { id: 'client-7f3a' },
        serviceSystemManager: { id: 'region-of-durham' },
        category: { code: 'SERVICE_QUALITY' },
        sla: {
          acknowledgeWithinBusinessDays: 5,
          resolveWithinBusinessDays: 25,
          acknowledgeBy: due.acknowledgeBy,
          resolveBy: due.resolveBy,
          breaches: [],
        },
        statusHistory: [
          {
            status: 'OPENED',
            escalationLevel: 'PROVIDER',
            on: today,
            by: 'staff-sp-durham-1',
            reason: 'Workshops were cancelled three times without notice',
          },
        ],
      });
      const [record] = await recordsOf(opened.dispute.id);
      expect(record).toMatchObject({ version: 1, kind: 'OPEN', bySubject: 'staff-sp-durham-1' });
      expect(record!.events).toEqual([
        expect.objectContaining({ type: 'DisputeOpened', catchmentId: 'durham', version: 1 }),
      ]);
    });
  });

  describe('when the dispute goes through its whole life', () => {
    it('records who, when and why for every transition, closes on resolution and reopens as a linked dispute', async () => {
      const provider = disputeApi(h.provider('sp-durham-1'));
      const ssm = disputeApi(h.ssmOf('durham'));
      const { dispute } = await disputeApi(h.ministry).open(clientDispute({ reference: unique('D-LIFE') }));
      const id = dispute.id;
      expect(
        (await provider.acknowledge({ disputeId: id, reason: 'Received', on: '2025-03-04' })).dispute,
      ).toMatchObject({
        status: 'ACKNOWLEDGED',
        version: 2,
      });
      expect(
        (
          await provider.status({
            disputeId: id,
            status: 'UNDER_REVIEW',
            reason: 'Reviewing the schedule',
            on: '2025-03-05',
          })
        ).dispute.status,
      ).toBe('UNDER_REVIEW');
      const escalated = await provider.escalate({
        disputeId: id,
        reason: 'The client asks for the SSM',
        on: '2025-03-12',
      });
      expect(escalated.dispute).toMatchObject({ status: 'ESCALATED', escalationLevel: 'SSM', version: 4 });
      // At the SSM level the provider no longer handles it.
      const refused = await provider.resolve({
        disputeId: id,
        outcome: 'UPHELD',
        summary: 'Rebooked',
        reason: 'Done',
        on: '2025-03-13',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const resolved = await ssm.resolve({
        disputeId: id,
        outcome: 'PARTLY_UPHELD',
        summary: 'Two sessions rebooked with another facilitator',
        reason: 'Agreed with the client',
        on: '2025-03-20',
      });
      expect(resolved.dispute).toMatchObject({
        status: 'RESOLVED',
        escalationLevel: 'SSM',
        resolution: {
          outcome: 'PARTLY_UPHELD',
          summary: 'Two sessions rebooked with another facilitator',
          on: '2025-03-20',
        },
      });
      expect(
        resolved.dispute.statusHistory.map((t: any) => `${t.status}@${t.escalationLevel} ${t.on} ${t.by}`),
      ).toEqual([
        'OPENED@PROVIDER 2025-03-03 ministry-officer', // the ministry records a dispute opened earlier,
        'ACKNOWLEDGED@PROVIDER 2025-03-04 staff-sp-durham-1',
        'UNDER_REVIEW@PROVIDER 2025-03-05 staff-sp-durham-1',
        'ESCALATED@SSM 2025-03-12 staff-sp-durham-1',
        'RESOLVED@SSM 2025-03-20 ssm-durham',
      ]);
      const closed = await ssm.status({
        disputeId: id,
        status: 'UNDER_REVIEW',
        reason: 'Look again',
        on: '2025-03-21',
      });
      expect(closed.error).toMatchObject({ code: 'RULE_VIOLATION', field: 'input.status' });
      expect(closed.error.message).toContain('reopening it creates a new, linked dispute');

      const reopened = await provider.reopen({
        disputeId: id,
        reason: 'Sessions cancelled again',
        on: '2025-04-01',
      });
      expect(reopened.dispute).toMatchObject({
        reference: `${dispute.reference}-R1`,
        status: 'OPENED',
        escalationLevel: 'SSM',
        openedOn: '2025-04-01',
        description: 'Sessions cancelled again',
        provider: { id: 'sp-durham-1' },
        client: { id: 'client-7f3a' },
        reopenedFrom: { id, reference: dispute.reference },
        sla: { acknowledgeBy: '2025-04-08', resolveBy: '2025-05-07' },
      });
      expect((await provider.get(id)).version).toBe(5);
      const again = await provider.reopen({ disputeId: id, reason: 'Once more', on: '2025-04-02' });
      expect(again.error).toMatchObject({ code: 'RULE_VIOLATION' });
      expect(again.error.message).toContain(`reopened already as ${dispute.reference}-R1`);

      const records = await recordsOf(id);
      expect(records.map((r) => [r.version, r.kind, r.bySubject, r.asOf])).toEqual([
        [1, 'OPEN', 'ministry-officer', '2025-03-03'],
        [2, 'ACKNOWLEDGED', 'staff-sp-durham-1', '2025-03-04'],
        [3, 'UNDER_REVIEW', 'staff-sp-durham-1', '2025-03-05'],
        [4, 'ESCALATED', 'staff-sp-durham-1', '2025-03-12'],
        [5, 'RESOLVED', 'ssm-durham', '2025-03-20'],
      ]);
      expect(records.every((r) => r.events.some((e: any) => e.type.startsWith('Dispute')))).toBe(true);
      // Each transition announces the status it entered, in the dispute's catchment, ids and codes only.
      expect(records.map((r) => r.events.map((e: any) => e.type).at(-1))).toEqual([
        'DisputeOpened',
        'DisputeAcknowledged',
        'DisputeUnderReview',
        'DisputeEscalated',
        'DisputeResolved',
      ]);
      expect(records[3]!.events.at(-1)).toMatchObject({
        catchmentId: 'durham',
        subject: { typename: 'Dispute', id },
        data: { trigger: 'PARTY', fromLevel: 'PROVIDER', toLevel: 'SSM', providerId: 'sp-durham-1' },
      });
      expect(records[4]!.events.at(-1)!.data).toEqual({
        reference: dispute.reference,
        providerId: 'sp-durham-1',
        level: 'SSM',
        outcome: 'PARTLY_UPHELD',
      });
    });
  });

  describe('a service-provider dispute', () => {
    it('is heard by the SSM: the provider may escalate or withdraw it, never acknowledge it; the SSM never withdraws it', async () => {
      const provider = disputeApi(h.provider('sp-durham-2'));
      const ssm = disputeApi(h.ssmOf('durham'));
      const { dispute } = await disputeApi(h.ministry).open(providerDispute({ reference: unique('D-SP') }));
      expect(dispute).toMatchObject({
        escalationLevel: 'SSM',
        client: null,
        provider: { id: 'sp-durham-2' },
      });
      const own = await provider.acknowledge({
        disputeId: dispute.id,
        reason: 'Acknowledging myself',
        on: '2025-03-04',
      });
      expect(own.error).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        (await ssm.acknowledge({ disputeId: dispute.id, reason: 'Received', on: '2025-03-04' })).ok,
      ).toBe(true);
      expect(
        (await ssm.withdraw({ disputeId: dispute.id, reason: 'Closing it', on: '2025-03-05' })).error,
      ).toMatchObject({
        code: 'FORBIDDEN',
      });
      const toMinistry = await provider.escalate({
        disputeId: dispute.id,
        reason: 'No answer',
        on: '2025-03-20',
      });
      expect(toMinistry.dispute).toMatchObject({ status: 'ESCALATED', escalationLevel: 'MINISTRY' });
      expect(
        (await ssm.acknowledge({ disputeId: dispute.id, reason: 'x', on: '2025-03-21' })).error.code,
      ).toBe('FORBIDDEN');
      const beyond = await provider.escalate({ disputeId: dispute.id, reason: 'Further', on: '2025-03-21' });
      expect(beyond.error).toMatchObject({ code: 'RULE_VIOLATION' });
      const withdrawn = await provider.withdraw({
        disputeId: dispute.id,
        reason: 'Payment received',
        on: '2025-03-25',
      });
      expect(withdrawn.dispute).toMatchObject({ status: 'WITHDRAWN', resolution: null });
    });
  });

  describe('a client dispute', () => {
    it('is withdrawn by the client through the SSM, never by the provider it disputes with', async () => {
      const { dispute } = await disputeApi(h.ministry).open(clientDispute({ reference: unique('D-WD') }));
      const byRespondent = await disputeApi(h.provider('sp-durham-1')).withdraw({
        disputeId: dispute.id,
        reason: 'Settled, we say',
        on: '2025-03-04',
      });
      expect(byRespondent.error).toMatchObject({ code: 'FORBIDDEN' });
      const bySsm = await disputeApi(h.ssmOf('durham')).withdraw({
        disputeId: dispute.id,
        reason: 'The client withdrew by phone',
        on: '2025-03-04',
      });
      expect(bySsm.dispute).toMatchObject({ status: 'WITHDRAWN' });
    });

    it('about the SSM is not withdrawn by that SSM', async () => {
      const { dispute } = await disputeApi(h.ministry).open(
        clientDispute({ reference: unique('D-WD'), providerId: null, category: 'REFERRAL' }),
      );
      const bySsm = await disputeApi(h.ssmOf('durham')).withdraw({
        disputeId: dispute.id,
        reason: 'Closing it',
        on: '2025-03-04',
      });
      expect(bySsm.error).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('changes refused', () => {
    it('refuses a stale expected version as a CONFLICT and changes nothing', async () => {
      const ssm = disputeApi(h.ssmOf('durham'));
      const { dispute } = await disputeApi(h.ministry).open(clientDispute({ reference: unique('D-VER') }));
      expect(
        (
          await ssm.acknowledge({
            disputeId: dispute.id,
            reason: 'Received',
            on: '2025-03-04',
            expectedVersion: 1,
          })
        ).ok,
      ).toBe(true);
      const stale = await ssm.escalate({
        disputeId: dispute.id,
        reason: 'Up',
        on: '2025-03-05',
        expectedVersion: 1,
      });
      expect(stale.error).toMatchObject({ code: 'CONFLICT', field: 'input.expectedVersion' });
      expect(stale.error.message).toContain('at version 2, not 1');
      expect((await ssm.get(dispute.id)).version).toBe(2);
    });

    it('keeps only one of simultaneous transitions of one version', async () => {
      const ssm = disputeApi(h.ssmOf('durham'));
      const { dispute } = await disputeApi(h.ministry).open(clientDispute({ reference: unique('D-RACE') }));
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          ssm.acknowledge({ disputeId: dispute.id, reason: `Received by clerk ${i}`, on: '2025-03-04' }),
        ),
      );
      const winners = answers.filter((a) => a.ok);
      expect(winners).toHaveLength(1);
      expect(
        answers.filter((a) => !a.ok).every((a) => ['CONFLICT', 'RULE_VIOLATION'].includes(a.error.code)),
      ).toBe(true);
      const stored = await ssm.get(dispute.id);
      expect(stored.statusHistory).toHaveLength(2);
      expect(await h.models.changeLog.countDocuments({ subjectId: dispute.id })).toBe(2);
    });

    it.each([
      ['a date in the future', clientDispute({ on: '2099-01-04' }), 'VALIDATION_FAILED', 'input.on'],
      ['an unknown category', clientDispute({ category: 'WEATHER' }), 'VALIDATION_FAILED', 'input.category'],
      [
        'a provider-only category',
        clientDispute({ category: 'AGREEMENT_TERMS' }),
        'VALIDATION_FAILED',
        'input.category',
      ],
      ['no client', clientDispute({ clientId: null }), 'VALIDATION_FAILED', 'input.clientId'],
      [
        'a client on a provider dispute',
        providerDispute({ clientId: 'client-1' }),
        'VALIDATION_FAILED',
        'input.clientId',
      ],
      [
        'a catchment whose SSM is to be announced',
        clientDispute({ catchmentId: 'toronto' }),
        'RULE_VIOLATION',
        'input.catchmentId',
      ],
      [
        'a date before the catchment’s transition',
        clientDispute({ on: '2023-01-16' }),
        'RULE_VIOLATION',
        'input.catchmentId',
      ],
      [
        'an empty description',
        clientDispute({ description: '  ' }),
        'VALIDATION_FAILED',
        'input.description',
      ],
    ])('refuses to open a dispute with %s, and writes nothing', async (_case, input, code, field) => {
      const before = await h.models.changeLog.countDocuments({ subjectType: 'Dispute' });
      const refused = await disputeApi(h.ministry).open({ ...input, reference: unique('D-BAD') });
      expect(refused).toMatchObject({ ok: false, dispute: null, error: { code, field } });
      expect(await h.models.changeLog.countDocuments({ subjectType: 'Dispute' })).toBe(before);
    });

    it('lets only the ministry choose a reference; others get a generated one', async () => {
      const today = todayInOntario();
      for (const who of [h.ssmOf('durham'), h.provider('sp-durham-1')]) {
        const chosen = await disputeApi(who).open(clientDispute({ reference: unique('D-MINE'), on: today }));
        expect(chosen.error).toMatchObject({ code: 'FORBIDDEN', field: 'input.reference' });
        const { on: _on, ...input } = clientDispute();
        const generated = await disputeApi(who).open(input);
        expect(generated.dispute.reference).toMatch(/^D-\d{4}-[2-9A-Z]{8}$/);
      }
    });

    it('refuses a reference of the form <reference>-R<n>, which would block that reopening', async () => {
      const ministry = disputeApi(h.ministry);
      const reference = unique('D-BLOCK');
      const { dispute } = await ministry.open(clientDispute({ reference }));
      const squatted = await ministry.open(clientDispute({ reference: `${reference}-R1` }));
      expect(squatted.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.reference' });
      await ministry.acknowledge({ disputeId: dispute.id, reason: 'Received', on: '2025-03-04' });
      await ministry.withdraw({ disputeId: dispute.id, reason: 'Withdrawn by phone', on: '2025-03-05' });
      const reopened = await ministry.reopen({
        disputeId: dispute.id,
        reason: 'Raised again',
        on: '2025-03-06',
      });
      expect(reopened.dispute).toMatchObject({ reference: `${reference}-R1` });
    });

    it('refuses a second dispute with a taken reference as a CONFLICT', async () => {
      const reference = unique('D-DUP');
      expect((await disputeApi(h.ministry).open(clientDispute({ reference }))).ok).toBe(true);
      const twice = await Promise.all([
        disputeApi(h.ministry).open(clientDispute({ reference })),
        disputeApi(h.ministry).open(clientDispute({ reference })),
      ]);
      expect(twice.map((t) => t.error?.code)).toEqual(['CONFLICT', 'CONFLICT']);
      expect(await h.models.disputes.countDocuments({ reference })).toBe(1);
    });

    it('refuses a resolution without an outcome summary, and a change dated before the last one', async () => {
      const ssm = disputeApi(h.ssmOf('durham'));
      const { dispute } = await disputeApi(h.ministry).open(clientDispute({ reference: unique('D-RES') }));
      await ssm.acknowledge({ disputeId: dispute.id, reason: 'Received', on: '2025-03-05' });
      const empty = await ssm.resolve({
        disputeId: dispute.id,
        outcome: 'UPHELD',
        summary: ' ',
        reason: 'x',
        on: '2025-03-06',
      });
      expect(empty.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.resolution.summary' });
      const early = await ssm.status({
        disputeId: dispute.id,
        status: 'UNDER_REVIEW',
        reason: 'x',
        on: '2025-03-04',
      });
      expect(early.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.on' });
    });
  });
});
