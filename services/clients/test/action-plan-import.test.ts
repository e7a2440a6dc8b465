import { Readable } from 'node:stream';
import { connectTestDatabase } from '@ies/testkit';
import { countPlanned, generateActionPlans } from '../src/exchange/action-plan-generator';
import {
  formatActionPlanLine,
  parseActionPlanLine,
  type ActionPlanLine,
} from '../src/exchange/action-plan-line';
import { runImport } from '../src/exchange/import-runner';
import { createCatchmentPeriodSync, createServices, ensureIndexes } from '../src/server';
import { startClients, type ClientsHarness } from './clients-harness';

/** A small calibrated sample: the prototype window of Peel at 1/500 scale. */
const SAMPLE = { seed: 11, scale: 0.002, set: 'prototype' as const, catchments: ['peel'] };
const sampleLines = () => [...generateActionPlans(SAMPLE)];
const ndjson = (lines: (ActionPlanLine | string)[]) =>
  lines.map((l) => (typeof l === 'string' ? l : formatActionPlanLine(l))).join('\n') + '\n';

describe('Action-plan batch import and export through the clients service', () => {
  let h: ClientsHarness;
  beforeAll(async () => {
    h = await startClients('clients_import');
  });
  afterAll(async () => {
    await h.stop();
  });

  const importText = (text: string, target = h.services.exchange) =>
    runImport({ input: Readable.from([text]), parse: parseActionPlanLine, target, batchSize: 50 });

  it('imports a generated sample through the rules, and a second import changes nothing', async () => {
    const lines = sampleLines();
    expect(lines.length).toBe(countPlanned(SAMPLE).total);
    const first = await importText(ndjson(lines));
    expect(first).toMatchObject({ lines: lines.length, accepted: lines.length, unchanged: 0, rejected: 0 });
    const records = await h.models.changeLog.countDocuments({});
    const second = await importText(ndjson(lines));
    expect(second).toMatchObject({ accepted: 0, unchanged: lines.length, rejected: 0 });
    expect(await h.models.changeLog.countDocuments({})).toBe(records);
    const plan = await h.models.plans.findOne({ camsReference: lines[0]!.camsReference }).lean();
    expect(plan).toMatchObject({ catchmentId: 'peel', status: lines[0]!.status, version: 1 });
    expect(await h.models.changeLog.countDocuments({ subject: `EmploymentActionPlan:${plan!._id}` })).toBe(1);
  });

  it('rejects bad lines with their line numbers and reasons, and writes nothing for them', async () => {
    const [base] = [
      ...generateActionPlans({ seed: 99, scale: 0.0005, set: 'prototype', catchments: ['peel'] }),
    ];
    const variant = (n: number, patch: (l: ActionPlanLine) => object) => {
      const line = {
        ...base!,
        camsReference: `AP-BAD-${n}`,
        client: { ...base!.client, camsReference: `CL-BAD-${n}` },
      };
      return { ...line, ...patch(line) } as ActionPlanLine;
    };
    const good = variant(1, () => ({}));
    const lines: (ActionPlanLine | string)[] = [
      good,
      '{"camsReference": "AP-BAD-2",',
      variant(3, () => ({ catchmentId: 'atlantis' })),
      variant(4, () => ({ providerId: 'sp-durham-1' })),
      variant(5, () => ({ assessment: null })),
      variant(6, (l) => ({ client: { ...l.client, givenName: 'Av\u0000ery' } })),
      variant(7, () => ({ startedOn: '2999-01-01' })),
      // The same client as line 1, a second ACTIVE plan.
      variant(8, () => ({ client: good.client, status: 'ACTIVE', closedOn: null, closingReason: null })),
    ];
    if (good.status !== 'ACTIVE')
      lines[0] = { ...good, status: 'ACTIVE', closedOn: null, closingReason: null };
    const result = await importText(ndjson(lines));
    expect(result).toMatchObject({ lines: 8, accepted: 1, rejected: 7 });
    const reasons = Object.fromEntries(result.errors.map((e) => [e.lineNumber, e.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(reasons[2]).toMatch(/JSON/);
    expect(reasons[3]).toMatch(/^catchmentId/);
    expect(reasons[4]).toMatch(/no site serving peel/);
    expect(reasons[5]).toMatch(/Common Assessment/);
    expect(reasons[6]).toMatch(/givenName/);
    expect(reasons[7]).toMatch(/^startedOn/);
    expect(reasons[8]).toMatch(/already has an active action plan/);
    for (const n of [3, 4, 5, 6, 7, 8]) {
      expect(await h.models.plans.countDocuments({ camsReference: `AP-BAD-${n}` })).toBe(0);
    }
    for (const n of [3, 4, 5, 6, 7]) {
      expect(await h.models.clients.countDocuments({ camsReference: `CL-BAD-${n}` })).toBe(0);
    }
    const changed = await importText(ndjson([{ ...(lines[0] as ActionPlanLine), referralSource: 'OTHER' }]));
    expect(changed.errors[0]!.reason).toMatch(/exists with different content/);
  });

  it('exports a catchment in the import format, and export → import into an empty database round-trips exactly', async () => {
    const exported: string[] = [];
    for await (const line of h.services.exchange.exportLines('peel'))
      exported.push(formatActionPlanLine(line));
    expect(exported.length).toBeGreaterThanOrEqual(sampleLines().length);
    for (const text of exported) expect(parseActionPlanLine(text).ok).toBe(true);
    const empty = await connectTestDatabase('clients_import_roundtrip');
    try {
      await ensureIndexes(empty);
      const catchmentSync = createCatchmentPeriodSync({
        connection: empty,
        logger: h.deps.logger,
        internalSecret: h.secret,
        catchmentsUrl: h.contracts.catchments.url,
      });
      await catchmentSync.syncAll();
      const other = createServices({ ...h.deps, connection: empty, catchmentSync });
      const imported = await importText(exported.join('\n') + '\n', other.exchange);
      expect(imported).toMatchObject({ accepted: exported.length, rejected: 0 });
      const again: string[] = [];
      for await (const line of other.exchange.exportLines('peel')) again.push(formatActionPlanLine(line));
      expect(again).toEqual(exported);
    } finally {
      await empty.close();
    }
  });

  it('imports small batches through GraphQL for the ministry only', async () => {
    const lines = [
      ...generateActionPlans({ seed: 5, scale: 0.0005, set: 'prototype', catchments: ['muskoka-kawarthas'] }),
    ];
    const MUTATION = `mutation($n: String!) { importActionPlans(ndjson: $n) { accepted unchanged rejected rejections { line reason } } }`;
    const text = ndjson(lines) + 'not json\n';
    const ssm = await h.ssmOf('muskoka-kawarthas').query(MUTATION, { n: text });
    expect(ssm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await h.models.plans.countDocuments({ camsReference: lines[0]!.camsReference })).toBe(0);
    const ministry = await h.ministry.query(MUTATION, { n: text });
    expect(ministry.data!.importActionPlans).toEqual({
      accepted: lines.length,
      unchanged: 0,
      rejected: 1,
      rejections: [{ line: lines.length + 1, reason: expect.stringMatching(/JSON/) }],
    });
  });
});
