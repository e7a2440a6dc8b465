import { testEngines } from '@ies/testkit';
import { DisputeImportTarget } from '../src/exchange/dispute-import';
import { generateDisputes, openDisputeExchange } from '../src/exchange/dispute-exchange';
import { formatDisputeLine, parseDisputeLine, type DisputeLine } from '../src/exchange/dispute-line';
import type { LineOutcome } from '../src/exchange/exchange-types';
import { startDisputes, type DisputesHarness } from './disputes-harness';

const line = (overrides: Partial<DisputeLine> & Record<string, unknown> = {}): DisputeLine => ({
  reference: 'D-2025-X0001',
  kind: 'CLIENT',
  catchmentId: 'durham',
  category: 'SERVICE_QUALITY',
  clientCamsReference: 'CL-DUR-000001',
  providerId: 'sp-durham-1',
  openedOn: '2025-03-03',
  history: [
    { status: 'OPENED', on: '2025-03-03', by: 'staff:sp-durham-1', reason: 'Workshops cancelled' },
    { status: 'ACKNOWLEDGED', on: '2025-03-04', by: 'staff:sp-durham-1', reason: 'Received' },
    { status: 'RESOLVED', on: '2025-03-10', by: 'staff:sp-durham-1', reason: 'Rebooked' },
  ],
  resolution: { outcome: 'UPHELD', summary: 'Sessions rebooked', on: '2025-03-10' },
  ...overrides,
});

describe('Dispute batch exchange', () => {
  let h: DisputesHarness;
  let target: DisputeImportTarget;
  beforeAll(async () => {
    h = await startDisputes('disputes_exchange');
    target = new DisputeImportTarget({
      disputes: h.models.disputes,
      log: h.logs.disputes,
      categories: h.services.categories,
      policies: h.services.policies,
      periods: h.services.periods,
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  const apply = (lines: (DisputeLine | string)[]): Promise<LineOutcome[]> =>
    target.applyBatch(lines.map((l, i) => ({ lineNumber: i + 1, line: l })));
  const exported = async (catchmentId: string) => {
    const lines: string[] = [];
    for await (const l of target.exportLines(catchmentId)) lines.push(formatDisputeLine(l));
    return lines;
  };
  const records = () => h.models.changeLog.countDocuments({ subjectType: 'Dispute' });

  describe('the generator', () => {
    const sample = [...generateDisputes({ seed: 7, scale: 0.1 })];

    it('is deterministic, and another seed gives another sample', () => {
      expect([...generateDisputes({ seed: 7, scale: 0.1 })]).toEqual(sample);
      expect([...generateDisputes({ seed: 8, scale: 0.1 })]).not.toEqual(sample);
    });

    it('covers every catchment in IES delivery with a realistic mix of kinds, categories and handling', () => {
      expect(new Set(sample.map((l) => l.catchmentId)).size).toBe(12);
      expect(sample.some((l) => l.catchmentId === 'toronto')).toBe(false);
      const clients = sample.filter((l) => l.kind === 'CLIENT').length / sample.length;
      expect(clients).toBeGreaterThan(0.7);
      expect(clients).toBeLessThan(0.9);
      expect(new Set(sample.map((l) => l.category)).size).toBe(8);
      const last = (l: DisputeLine) => l.history.at(-1)!.status;
      const statuses = new Set(sample.map(last));
      expect(statuses).toContain('RESOLVED');
      expect(statuses).toContain('WITHDRAWN');
      // Disputes opened shortly before `until` are still open then.
      expect([...statuses].some((s) => !['RESOLVED', 'WITHDRAWN'].includes(s))).toBe(true);
      expect(
        sample.some((l) => l.history.some((s) => s.status === 'RESOLVED' && s.on > l.history[0]!.on)),
      ).toBe(true);
      expect(sample.some((l) => l.resolution?.outcome === 'SETTLED')).toBe(true);
      expect(sample.some((l) => l.history.some((s) => s.by === 'system:sla-sweep'))).toBe(true);
      expect(
        sample.some((l) => l.history.some((s) => s.status === 'ESCALATED' && s.by !== 'system:sla-sweep')),
      ).toBe(true);
      expect(sample.every((l) => parseDisputeLine(formatDisputeLine(l)).ok)).toBe(true);
      expect(sample.every((l) => l.history.every((s) => s.on <= '2025-12-31'))).toBe(true);
    });

    it('scales its volume', () => {
      const small = [...generateDisputes({ seed: 7, scale: 0.02, until: '2024-12-31' })].length;
      const large = [...generateDisputes({ seed: 7, scale: 0.2, until: '2024-12-31' })].length;
      expect(large).toBeGreaterThan(5 * small);
    });
  });

  describe('importing the generated sample', () => {
    it('accepts every line, then finds every line unchanged, and exports them back byte for byte', async () => {
      const sample = [...generateDisputes({ seed: 11, scale: 0.05 })];
      const outcomes = await apply(sample);
      const rejected = outcomes.flatMap((o, i) =>
        o.status === 'rejected' ? [`${sample[i]!.reference}: ${o.reason}`] : [],
      );
      expect(rejected).toEqual([]);
      const written = await records();
      expect((await apply(sample.map(formatDisputeLine))).every((o) => o.status === 'unchanged')).toBe(true);
      expect(await records()).toBe(written);
      // Catchments no other test of this file writes to, whatever the order tests run in.
      for (const catchmentId of ['peel', 'windsor-sarnia']) {
        const expected = sample
          .filter((l) => l.catchmentId === catchmentId)
          .sort((a, b) => (a.reference < b.reference ? -1 : 1))
          .map(formatDisputeLine);
        expect(expected.length).toBeGreaterThan(0);
        expect(await exported(catchmentId)).toEqual(expected);
      }
    });
  });

  describe('lines refused', () => {
    it.each([
      ['text that is not JSON', '{"reference": ', 'not valid JSON'],
      [
        'an unknown field',
        line({ reference: 'D-BAD-1', priority: 'HIGH' } as never),
        'priority: unknown field',
      ],
      [
        'a missing field',
        JSON.stringify({ ...line({ reference: 'D-BAD-2' }), openedOn: undefined }),
        'openedOn: required',
      ],
      [
        'an unknown kind',
        line({ reference: 'D-BAD-3', kind: 'EMPLOYER' as never }),
        'kind: must be one of CLIENT, SERVICE_PROVIDER',
      ],
      [
        'a date that does not exist',
        line({ reference: 'D-BAD-4', openedOn: '2025-02-30' }),
        'openedOn: not a date',
      ],
      [
        'a history not starting with OPENED',
        line({ reference: 'D-BAD-5', openedOn: '2025-03-04', history: line().history.slice(1) }),
        'history[0]',
      ],
      [
        'an illegal transition',
        line({ reference: 'D-BAD-6', history: [line().history[0]!, line().history[2]!] }),
        'history[1]: A dispute cannot go from OPENED to RESOLVED',
      ],
      [
        'a resolution never reached',
        line({ reference: 'D-BAD-7', history: line().history.slice(0, 2) }),
        'resolution: given',
      ],
      [
        'a resolution of another date',
        line({ reference: 'D-BAD-8', resolution: { ...line().resolution!, on: '2025-03-11' } }),
        'resolution:',
      ],
      [
        'an unknown category',
        line({ reference: 'D-BAD-9', category: 'WEATHER' }),
        'No active dispute category WEATHER',
      ],
      [
        'a provider-only category on a client dispute',
        line({ reference: 'D-BAD-10', category: 'AGREEMENT_TERMS' }),
        'does not apply to CLIENT',
      ],
      [
        'a client dispute without a client',
        line({ reference: 'D-BAD-11', clientCamsReference: null }),
        'names its client',
      ],
      [
        'a catchment without an SSM',
        line({ reference: 'D-BAD-12', catchmentId: 'toronto' }),
        'no service system manager',
      ],
      [
        'an opening before the catchment’s transition',
        line({
          reference: 'D-BAD-13',
          openedOn: '2023-01-16',
          history: [{ ...line().history[0]!, on: '2023-01-16' }],
          resolution: null,
        }),
        'hears disputes from its transition on',
      ],
      [
        'a change in the future',
        line({
          reference: 'D-BAD-14',
          history: [...line().history.slice(0, 2), { ...line().history[2]!, on: '2099-01-05' }],
        }),
        'is after today',
      ],
      [
        'a hostile character',
        line({ reference: 'D-BAD-15', history: [{ ...line().history[0]!, by: 'staff\u202e' }] }),
        'history[0].by',
      ],
    ])('rejects %s with the reason, and writes nothing', async (_case, input, reason) => {
      const before = await records();
      const [outcome] = await apply([input]);
      expect(outcome).toEqual({ status: 'rejected', reason: expect.stringContaining(reason) });
      expect(await records()).toBe(before);
    });

    it('applies the good lines of a batch and refuses the bad ones, each on its own', async () => {
      const outcomes = await apply([
        line({ reference: 'D-MIX-1' }),
        line({ reference: 'D-MIX-2', category: 'WEATHER' }),
        line({ reference: 'D-MIX-1' }),
        line({ reference: 'D-MIX-1', category: 'PRIVACY' }),
        line({
          reference: 'D-MIX-3',
          kind: 'SERVICE_PROVIDER',
          clientCamsReference: null,
          category: 'AGREEMENT_TERMS',
          history: line().history.slice(0, 1),
          resolution: null,
        }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'accepted',
        'rejected',
        'unchanged',
        'rejected',
        'accepted',
      ]);
      expect(outcomes[3]).toEqual({
        status: 'rejected',
        reason: 'dispute D-MIX-1 exists with different content; change it through the API',
      });
      expect(
        await h.models.disputes.countDocuments({ reference: { $in: ['D-MIX-1', 'D-MIX-2', 'D-MIX-3'] } }),
      ).toBe(2);
    });
  });

  describe('imported disputes', () => {
    it('are what the API shows, the CaMS reference kept as given', async () => {
      await apply([line({ reference: 'D-API-1', clientCamsReference: 'CL-DUR-004242' })]);
      const { body } = await h
        .ssmOf('durham')
        .query(
          `{ disputes(filter: { catchmentId: "durham", status: RESOLVED }, first: 100) { edges { node { reference clientCamsReference client { id } escalationLevel statusHistory { by } resolution { outcome } } } } }`,
        );
      const imported = body
        .data!.disputes.edges.map((e: any) => e.node)
        .find((d: any) => d.reference === 'D-API-1');
      expect(imported).toEqual({
        reference: 'D-API-1',
        clientCamsReference: 'CL-DUR-004242',
        client: null,
        escalationLevel: 'PROVIDER',
        statusHistory: [
          { by: 'staff:sp-durham-1' },
          { by: 'staff:sp-durham-1' },
          { by: 'staff:sp-durham-1' },
        ],
        resolution: { outcome: 'UPHELD' },
      });
    });

    it('keep the breaches their history answered, so the sweep never escalates them twice, and leave the others to it', async () => {
      const answered = line({
        reference: 'D-SWEPT-1',
        history: [
          line().history[0]!,
          {
            status: 'ESCALATED',
            on: '2025-03-11',
            by: 'system:sla-sweep',
            reason: 'Acknowledgement overdue',
          },
        ],
        resolution: null,
      });
      const unanswered = line({ reference: 'D-SWEPT-2', history: [line().history[0]!], resolution: null });
      expect((await apply([answered, unanswered])).map((o) => o.status)).toEqual(['accepted', 'accepted']);
      await h.sweep().run('2025-03-12');
      const kinds = async (reference: string) =>
        (await h.models.changeLog.find({ 'state.reference': reference }).sort({ version: 1 }).lean()).map(
          (r) => r.kind,
        );
      expect(await kinds('D-SWEPT-1')).toEqual(['IMPORT']);
      expect(await kinds('D-SWEPT-2')).toEqual(['IMPORT', 'SLA_ESCALATION']);
      const stored = await h.models.disputes.findOne({ reference: 'D-SWEPT-1' }).lean();
      expect(stored!.slaBreaches).toEqual([
        {
          clock: 'ACKNOWLEDGE',
          dueOn: '2025-03-10',
          detectedOn: '2025-03-11',
          handling: 'ESCALATED',
          escalatedTo: 'SSM',
        },
      ]);
    });
  });

  describe('as the CLI opens it', () => {
    it('imports and exports through the service’s own configuration', async () => {
      const exchange = await openDisputeExchange({
        MONGODB_URI: testEngines().mongoUri,
        DISPUTES_DB_NAME: h.connection.name,
        INTERNAL_SIGNING_SECRET: h.secret,
        CATCHMENTS_SUBGRAPH_URL: h.catchments.url,
        LOG_LEVEL: 'silent',
      });
      try {
        const text = formatDisputeLine(
          line({ reference: 'D-CLI-1', catchmentId: 'london', providerId: 'sp-london-1' }),
        );
        expect(exchange.parse(text)).toEqual({ ok: true, line: JSON.parse(text) });
        expect(await exchange.target.applyBatch([{ lineNumber: 1, line: text }])).toEqual([
          { status: 'accepted' },
        ]);
        const lines: string[] = [];
        for await (const l of exchange.exportLines('london')) lines.push(exchange.format(l));
        expect(lines).toContain(text);
      } finally {
        await exchange.close();
      }
    });
  });
});
