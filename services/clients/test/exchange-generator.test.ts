import { createHash } from 'node:crypto';
import { addMonths } from '@ies/calendar';
import { CATCHMENTS } from '@ies/catchments/src/seed/catchment-seed';
import { seedNetwork } from '@ies/contracts/src/seed/network-seed';
import {
  DEFAULT_UNTIL,
  countPlanned,
  generateActionPlans,
  type GeneratorOptions,
} from '../src/exchange/action-plan-generator';
import { formatActionPlanLine, type ActionPlanLine } from '../src/exchange/action-plan-line';
import { minimumWageOn } from '../src/exchange/minimum-wage';
import {
  PROTOTYPE_CALIBRATION,
  PROTOTYPE_CATCHMENT_IDS,
  PROTOTYPE_WINDOW,
} from '../src/exchange/prototype-calibration';

const digest = (options: GeneratorOptions) => {
  const hash = createHash('sha256');
  for (const plan of generateActionPlans(options)) hash.update(`${formatActionPlanLine(plan)}\n`);
  return hash.digest('hex');
};

/** Counts per catchment, referral source and stream, and per catchment × source × stream. */
function tally(plans: Iterable<ActionPlanLine>) {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  let total = 0;
  for (const p of plans) {
    total += 1;
    const stream = p.assessment?.stream ?? 'UNASSESSED';
    add(`catchment ${p.catchmentId}`);
    add(`source ${p.referralSource}`);
    add(`stream ${stream}`);
    add(`cell ${p.catchmentId} ${p.referralSource} ${stream}`);
  }
  return { total, n: (key: string) => counts.get(key) ?? 0 };
}

/** The serving sites of the seed network: inside the catchment and not on-reserve. */
const servingSites = new Map<string, Set<string>>();
for (const provider of seedNetwork().providers)
  for (const site of provider.sites)
    if (site.insideCatchment && !site.onReserve)
      servingSites.set(
        `${provider._id} ${site.catchmentId}`,
        (servingSites.get(`${provider._id} ${site.catchmentId}`) ?? new Set()).add(site.id),
      );

describe('Action-plan exchange generator', () => {
  describe('when the same options are given twice', () => {
    it('writes the same bytes, and other bytes for another seed', () => {
      const options = { seed: 42, scale: 0.01 };
      expect(digest(options)).toBe(digest(options));
      expect(digest({ ...options, seed: 43 })).not.toBe(digest(options));
    });

    it('does not depend on the date it runs', () => {
      const options = { seed: 5, set: 'prototype' as const, scale: 0.01 };
      jest.useFakeTimers({ now: new Date('2030-06-15T12:00:00Z') });
      try {
        const later = digest(options);
        jest.setSystemTime(new Date('2022-01-01T00:00:00Z'));
        expect(digest(options)).toBe(later);
      } finally {
        jest.useRealTimers();
      }
    });

    it('gives a catchment the same plans alone or with the others, and the prototype set as the start of the full one', () => {
      const full = [...generateActionPlans({ seed: 9, scale: 0.01 })].map(formatActionPlanLine);
      const peelAlone = [...generateActionPlans({ seed: 9, scale: 0.01, catchments: ['peel'] })].map(
        formatActionPlanLine,
      );
      expect(peelAlone).toEqual(full.filter((line) => line.includes('"catchmentId":"peel"')));
      const prototype = [...generateActionPlans({ seed: 9, scale: 0.01, set: 'prototype' })].map(
        formatActionPlanLine,
      );
      const fullWindow = full.filter((line) => {
        const plan = JSON.parse(line) as ActionPlanLine;
        return (
          (PROTOTYPE_CATCHMENT_IDS as readonly string[]).includes(plan.catchmentId) &&
          plan.startedOn <= PROTOTYPE_WINDOW.to
        );
      });
      expect(prototype).toEqual(fullWindow);
    });
  });

  describe('when the prototype set is generated at scale 1', () => {
    // One streamed pass over the 63,250 plans checks the calibration and the invariants of every plan.
    const seen = new Map<
      string,
      { plans: number; active: number; lastClosedOn: string | null; lastStartedOn: string }
    >();
    const references = new Set<string>();
    const problems: string[] = [];
    let counted: ReturnType<typeof tally>;
    beforeAll(() => {
      counted = tally(
        (function* () {
          for (const plan of generateActionPlans({ seed: 2021, set: 'prototype' })) {
            if (references.has(plan.camsReference)) problems.push(`${plan.camsReference} repeated`);
            references.add(plan.camsReference);
            const client = seen.get(plan.client.camsReference);
            if (client) {
              if (client.lastClosedOn === null || client.lastClosedOn >= plan.startedOn)
                problems.push(`${plan.client.camsReference} starts a plan before the previous one closed`);
              client.plans += 1;
            }
            const state = client ?? {
              plans: 1,
              active: 0,
              lastClosedOn: null,
              lastStartedOn: plan.startedOn,
            };
            if (plan.status === 'ACTIVE') state.active += 1;
            state.lastClosedOn = plan.closedOn;
            state.lastStartedOn = plan.startedOn;
            seen.set(plan.client.camsReference, state);
            if (!servingSites.get(`${plan.providerId} ${plan.catchmentId}`)?.has(plan.siteId!))
              problems.push(
                `${plan.camsReference}: ${plan.siteId} is not a serving site of ${plan.providerId}`,
              );
            if (plan.startedOn < PROTOTYPE_WINDOW.from || plan.startedOn > PROTOTYPE_WINDOW.to)
              problems.push(`${plan.camsReference} starts outside the window`);
            yield plan;
          }
        })(),
      );
    });

    it('meets the published figures exactly', () => {
      expect(counted.total).toBe(63_250);
      expect(counted.total).toBeGreaterThan(63_200);
      const socialAssistance = counted.n('source ONTARIO_WORKS') + counted.n('source ODSP');
      expect([counted.n('source ONTARIO_WORKS'), counted.n('source ODSP'), socialAssistance]).toEqual([
        14_030, 9_420, 23_450,
      ]);
      expect(socialAssistance).toBeGreaterThan(23_400);
      expect(Math.round((100 * socialAssistance) / counted.total)).toBe(37);
      expect([counted.n('stream C'), counted.n('stream B'), counted.n('stream A')]).toEqual([
        29_728, 19_607, 13_915,
      ]);
      expect(
        ['C', 'B', 'A'].map((s) => Math.round((100 * counted.n(`stream ${s}`)) / counted.total)),
      ).toEqual([47, 31, 22]);
      expect(counted.n('stream UNASSESSED')).toBe(0);
    });

    it('matches PROTOTYPE_CALIBRATION cell by cell', () => {
      expect(PROTOTYPE_CALIBRATION).toMatchObject({
        total: 63_250,
        referredBySocialAssistance: 23_450,
        byCatchment: { 'hamilton-niagara-peninsula': 27_000, 'muskoka-kawarthas': 12_250, peel: 24_000 },
        byReferralSource: { ONTARIO_WORKS: 14_030, ODSP: 9_420, SELF: 31_840, OTHER: 7_960 },
        byStream: { C: 29_728, B: 19_607, A: 13_915 },
      });
      for (const [catchmentId, cells] of Object.entries(PROTOTYPE_CALIBRATION.cells)) {
        expect(counted.n(`catchment ${catchmentId}`)).toBe(
          PROTOTYPE_CALIBRATION.byCatchment[catchmentId as 'peel'],
        );
        for (const [source, streams] of Object.entries(cells))
          for (const [stream, n] of Object.entries(streams))
            expect([
              catchmentId,
              source,
              stream,
              counted.n(`cell ${catchmentId} ${source} ${stream}`),
            ]).toEqual([catchmentId, source, stream, n]);
      }
    });

    it('keeps references unique, one active plan per client, and each plan at a site of its provider', () => {
      expect(problems).toEqual([]);
      expect([...seen.values()].filter((c) => c.active > 1)).toEqual([]);
      const returning = [...seen.values()].filter((c) => c.plans === 2).length;
      expect(returning).toBeGreaterThan(1000);
      expect([...seen.values()].every((c) => c.plans <= 2)).toBe(true);
    });
  });

  describe('when the prototype set is generated at another scale', () => {
    it.each([0.1, 0.37, 0.005])('gives Math.round(cell × %p) plans per cell', (scale) => {
      const counted = tally(generateActionPlans({ seed: 3, set: 'prototype', scale }));
      let expectedTotal = 0;
      for (const [catchmentId, cells] of Object.entries(PROTOTYPE_CALIBRATION.cells))
        for (const [source, streams] of Object.entries(cells))
          for (const [stream, n] of Object.entries(streams)) {
            expectedTotal += Math.round(n * scale);
            expect(counted.n(`cell ${catchmentId} ${source} ${stream}`)).toBe(Math.round(n * scale));
          }
      expect(counted.total).toBe(expectedTotal);
      expect(countPlanned({ seed: 3, set: 'prototype', scale }).total).toBe(expectedTotal);
    });
  });

  describe('when the full set is generated', () => {
    const until = DEFAULT_UNTIL;
    let plans: ActionPlanLine[];
    let clients: Map<string, ActionPlanLine['client']>;
    beforeAll(() => {
      plans = [...generateActionPlans({ seed: 17, scale: 0.02 })];
      clients = new Map(plans.map((p) => [p.client.camsReference, p.client]));
    });

    it('covers every catchment in IES delivery from its start, as countPlanned says', () => {
      const planned = countPlanned({ seed: 17, scale: 0.02 });
      const counted = tally(plans);
      expect(counted.total).toBe(planned.total);
      const delivering = CATCHMENTS.filter((c) => c.iesDeliveryStartDate);
      expect(Object.keys(planned.byCatchment)).toEqual(delivering.map((c) => c.id));
      for (const c of delivering) {
        const own = plans.filter((p) => p.catchmentId === c.id);
        expect(own.length).toBe(planned.byCatchment[c.id]);
        expect(own.every((p) => p.startedOn >= c.iesDeliveryStartDate! && p.startedOn <= until)).toBe(true);
        expect(
          own.every(
            (p) =>
              p.assessment &&
              p.assessment.assessedOn <= p.startedOn &&
              p.assessment.assessedOn >= c.iesDeliveryStartDate!,
          ),
        ).toBe(true);
      }
      // About 875 plans per catchment-month at scale 1: Durham has 33 months to September 2026.
      expect(planned.byCatchment.durham).toBe(Math.round(875 * 0.02) * 33);
    });

    it('closes most plans older than a year, with a closing reason', () => {
      const old = plans.filter((p) => p.startedOn < addMonths(until, -12));
      const closed = old.filter((p) => p.status === 'CLOSED');
      expect(closed.length / old.length).toBeGreaterThan(0.8);
      expect(
        closed.every((p) => p.closingReason !== null && p.closedOn! <= until && p.closedOn! > p.startedOn),
      ).toBe(true);
      expect(
        plans
          .filter((p) => p.status === 'ACTIVE')
          .every((p) => p.closedOn === null && p.closingReason === null),
      ).toBe(true);
    });

    it('gives about 45% of plans a job paid around the minimum wage, with checkpoints only when due', () => {
      const withJob = plans.filter((p) => p.jobs.length > 0);
      expect(withJob.length / plans.length).toBeGreaterThan(0.35);
      expect(withJob.length / plans.length).toBeLessThan(0.5);
      const jobs = withJob.flatMap((p) => p.jobs);
      expect(jobs.every((j) => j.hoursPerWeek >= 10 && j.hoursPerWeek <= 40)).toBe(true);
      expect(jobs.every((j) => j.hourlyWageCents >= minimumWageOn(j.startedOn) - 50)).toBe(true);
      expect(jobs.some((j) => j.hoursPerWeek < 20)).toBe(true);
      expect(jobs.some((j) => j.subsidizedUntil !== null)).toBe(true);
      for (const p of withJob) {
        const followUpEnd = p.closedOn ? addMonths(p.closedOn, 12) : until;
        for (const c of p.checkpoints) {
          const months = Number(c.checkpoint.slice('MONTH_'.length));
          const due = addMonths(p.jobs[0]!.startedOn, months);
          expect(due <= until && due <= followUpEnd && c.verifiedOn >= due && c.verifiedOn <= until).toBe(
            true,
          );
        }
      }
      const evidence = withJob.flatMap((p) => p.checkpoints.map((c) => c.evidence));
      expect(evidence.filter((e) => e === 'ATTESTATION').length / evidence.length).toBeLessThan(0.3);
      expect(withJob.some((p) => p.checkpoints.some((c) => c.attestationPreApproved))).toBe(true);
    });

    it('asks equity questions as optional, with "prefer not to answer" from about 29% of clients, and about 30% youth', () => {
      const all = [...clients.values()];
      const declining = all.filter((c) =>
        [c.indigenous, c.francophone, c.disability, c.newcomer, c.racialized].includes(
          'PREFER_NOT_TO_ANSWER',
        ),
      );
      expect(declining.length / all.length).toBeGreaterThan(0.26);
      expect(declining.length / all.length).toBeLessThan(0.32);
      expect(all.some((c) => c.newcomer === null)).toBe(true);
      const firstPlans = plans.filter(
        (p, i, list) => list.findIndex((q) => q.client.camsReference === p.client.camsReference) === i,
      );
      const youth = firstPlans.filter((p) => addMonths(p.client.birthDate, 360) > p.startedOn);
      expect(youth.length / firstPlans.length).toBeGreaterThan(0.26);
      expect(youth.length / firstPlans.length).toBeLessThan(0.34);
    });

    it('makes active offers only through an Indigenous or French-language provider of the catchment', () => {
      const offers = plans.flatMap((p) => p.activeOffers.map((o) => ({ p, o })));
      expect(offers.length).toBeGreaterThan(0);
      for (const { p, o } of offers) {
        if (o.kind === 'INDIGENOUS')
          expect([p.catchmentId, o.providerId, p.client.indigenous]).toEqual([
            'london',
            'sp-london-indigenous',
            'YES',
          ]);
        else
          expect([p.catchmentId, o.providerId, p.client.francophone]).toEqual([
            'ottawa',
            'sp-ottawa-francophone',
            'YES',
          ]);
        if (o.answer === 'ACCEPTED' && p.activeOffers[0] === o) expect(p.providerId).toBe(o.providerId);
      }
      const indigenousInLondon = plans.filter(
        (p) => p.catchmentId === 'london' && p.client.indigenous === 'YES',
      );
      expect(indigenousInLondon.length).toBeGreaterThan(0);
      expect(indigenousInLondon.every((p) => p.activeOffers.some((o) => o.kind === 'INDIGENOUS'))).toBe(true);
    });

    it('keeps every plan at a serving site of a provider of its catchment', () => {
      const wrong = plans.filter(
        (p) => !servingSites.get(`${p.providerId} ${p.catchmentId}`)?.has(p.siteId!),
      );
      expect(wrong).toEqual([]);
    });
  });

  describe('when an option is out of range', () => {
    it.each([
      [{ seed: -1 }, 'seed must be a non-negative integer'],
      [{ seed: 1.5 }, 'seed must be a non-negative integer'],
      [{ seed: 1, scale: 0 }, 'scale must be more than 0 and at most 100'],
      [{ seed: 1, until: '2022-12-31' }, 'until must be a date from 2023-01-03 to 2099-12-31'],
      [{ seed: 1, until: '2026-02-30' }, 'until must be a date from 2023-01-03 to 2099-12-31'],
      [{ seed: 1, catchments: ['toronto'] }, 'toronto is not a catchment with an IES delivery start'],
      [{ seed: 1, set: 'prototype' as const, catchments: ['york'] }, 'york is not a prototype catchment'],
    ])('refuses %j', (options, message) => {
      expect(() => countPlanned(options)).toThrow(new RangeError(message));
      expect(() => generateActionPlans(options).next()).toThrow(new RangeError(message));
    });
  });
});
