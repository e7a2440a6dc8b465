import { Readable } from 'node:stream';
import { graphqlRequest } from '@ies/testkit';
import { generateActionPlans } from '@ies/clients/src/exchange/action-plan-generator';
import { openActionPlanExchange } from '@ies/clients/src/exchange/action-plan-exchange';
import { formatActionPlanLine, parseActionPlanLine } from '@ies/clients/src/exchange/action-plan-line';
import { runImport } from '@ies/clients/src/exchange/import-runner';
import {
  PROTOTYPE_CALIBRATION,
  PROTOTYPE_CATCHMENT_IDS,
  PROTOTYPE_WINDOW,
} from '@ies/clients/src/exchange/prototype-calibration';
import { startStack, type Stack } from './stack-harness';

const SUMMARY = `query($f: ActionPlanSummaryFilter) { actionPlanSummary(filter: $f) {
  started { value } referredBySocialAssistance { value }
  byReferralSource { source count { value } } byStream { stream count { value } } } }`;

type Summary = {
  started: { value: number };
  referredBySocialAssistance: { value: number };
  byReferralSource: { source: string; count: { value: number } }[];
  byStream: { stream: string; count: { value: number } }[];
};

/**
 * The full calibrated prototype set (63,250 plans) imported into the running stack's clients service
 * through the batch import, then counted through the gateway: the summary grows by exactly what the
 * generator's specification says (DOMAIN.md §3).
 */
describe('The calibrated prototype set through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The summary aggregates every plan of three catchments (63,250 more after the import): a report
    // that can take longer than an interactive query on two shared cores, so this stack gives a
    // subgraph a minute (SUBGRAPH_TIMEOUT_MS, as an operator would for reporting) instead of 10 s.
    stack = await startStack('calibration_e2e', { gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('imports 63,250 plans and actionPlanSummary counts exactly the published figures', async () => {
    const token = await stack.auth.token('MINISTRY');
    const summary = async (): Promise<Summary> => {
      const { body } = await graphqlRequest(stack.graphqlUrl, SUMMARY, {
        token,
        variables: {
          f: {
            catchmentIds: [...PROTOTYPE_CATCHMENT_IDS],
            startedFrom: PROTOTYPE_WINDOW.from,
            startedTo: PROTOTYPE_WINDOW.to,
          },
        },
      });
      expect(body.errors).toBeUndefined();
      return body.data!.actionPlanSummary as Summary;
    };
    // The stack is seeded with a small sample of its own; the import adds to it.
    const before = await summary();
    const exchange = await openActionPlanExchange({ ...stack.clientsEnv, LOG_LEVEL: 'silent' });
    try {
      const lines = generateActionPlans({ seed: 7, set: 'prototype' });
      const result = await runImport({
        input: Readable.from(
          (function* () {
            for (const line of lines) yield `${formatActionPlanLine(line)}\n`;
          })(),
        ),
        parse: parseActionPlanLine,
        target: exchange.target,
      });
      expect(result).toMatchObject({ lines: 63_250, accepted: 63_250, rejected: 0 });
    } finally {
      await exchange.close();
    }
    const after = await summary();
    const calibration = PROTOTYPE_CALIBRATION;
    expect(calibration.total).toBe(63_250);
    expect(after.started.value - before.started.value).toBe(calibration.total);
    expect(after.referredBySocialAssistance.value - before.referredBySocialAssistance.value).toBe(23_450);
    const cell = (s: Summary, key: 'byReferralSource' | 'byStream', name: string) =>
      (s[key] as { source?: string; stream?: string; count: { value: number } }[]).find(
        (c) => (c.source ?? c.stream) === name,
      )!.count.value;
    for (const source of ['ONTARIO_WORKS', 'ODSP', 'SELF', 'OTHER'] as const) {
      expect(cell(after, 'byReferralSource', source) - cell(before, 'byReferralSource', source)).toBe(
        calibration.byReferralSource[source],
      );
    }
    expect(
      (['C', 'B', 'A'] as const).map((s) => cell(after, 'byStream', s) - cell(before, 'byStream', s)),
    ).toEqual([29_728, 19_607, 13_915]);
    expect(cell(after, 'byStream', 'UNASSESSED')).toBe(cell(before, 'byStream', 'UNASSESSED'));
  }, 1_200_000);
});
