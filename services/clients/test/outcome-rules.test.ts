import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '@ies/calendar';
import { ConfigError } from '@ies/config';
import { checkpointDate, checkpointsReached, CHECKPOINTS } from '../src/outcome/checkpoints';
import {
  assessFundedOutcome,
  concurrentJobsCap,
  OUTCOME_REASONS,
  type FundedOutcomeInput,
  type OutcomeJob,
} from '../src/outcome/funded-outcome';
import { MAX_OUTCOME_JOBS, validateFundedOutcomeInput } from '../src/outcome/funded-outcome-input';
import {
  DEFAULT_OUTCOME_CONFIG,
  loadOutcomeConfig,
  minimumWageOn,
  parseOutcomeConfig,
  thresholdsOn,
  type OutcomeConfig,
} from '../src/outcome/outcome-config';

// A MONTH_3 checkpoint on 15 April 2024 (minimum wage $16.55), for a job started 15 January 2024.
const CHECKPOINT_DATE = '2024-04-15';
const job = (extra: Partial<OutcomeJob> = {}): OutcomeJob => ({
  employer: 'Niagara Foods',
  startedOn: '2024-01-15',
  hoursPerWeek: 25,
  hourlyWageCents: 1800,
  subsidizedUntil: null,
  ...extra,
});
const verified = (extra: Partial<FundedOutcomeInput> = {}): FundedOutcomeInput => ({
  checkpoint: 'MONTH_3',
  checkpointDate: CHECKPOINT_DATE,
  employed: true,
  evidence: ['PAY_STUB'],
  attestationPreApproved: false,
  jobs: [job()],
  employedAtStart: [],
  ...extra,
});
const assess = (extra: Partial<FundedOutcomeInput> = {}, config: OutcomeConfig = DEFAULT_OUTCOME_CONFIG) =>
  assessFundedOutcome(verified(extra), config);
const reasonsOf = (extra: Partial<FundedOutcomeInput>) => assess(extra).reasons;

/** Expects a ConfigError and returns its problems. */
const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('Outcome configuration', () => {
  describe('the Ontario general minimum wage', () => {
    it.each([
      ['2018-01-01', 1400],
      ['2020-09-30', 1400],
      ['2020-10-01', 1425],
      ['2021-10-01', 1435],
      ['2021-12-31', 1435],
      ['2022-01-01', 1500],
      ['2022-10-01', 1550],
      ['2023-10-01', 1655],
      ['2024-09-30', 1655],
      ['2024-10-01', 1720],
      ['2025-09-30', 1720],
      ['2025-10-01', 1760],
      ['2030-01-01', 1760],
    ])('on %s is %i cents an hour', (date, cents) => {
      expect(minimumWageOn(DEFAULT_OUTCOME_CONFIG, date).hourlyCents).toBe(cents);
    });

    it('is not known before the table starts, and says where it starts', () => {
      expect(() => minimumWageOn(DEFAULT_OUTCOME_CONFIG, '2017-12-31')).toThrow(
        'No minimum wage is configured for 2017-12-31: the outcome configuration starts on 2018-01-01',
      );
      expect(() => minimumWageOn(DEFAULT_OUTCOME_CONFIG, '2024-02-30')).toThrow(RangeError);
    });
  });

  describe('the default thresholds', () => {
    it('are 20 hours a week and a 5% concurrent-jobs cap from 2020', () => {
      expect(thresholdsOn(DEFAULT_OUTCOME_CONFIG, '2020-01-01')).toEqual({
        effectiveFrom: '2020-01-01',
        minimumHoursPerWeek: 20,
        alreadyWorkingHoursPerWeek: 20,
        concurrentJobsCapRate: 0.05,
      });
      expect(() => thresholdsOn(DEFAULT_OUTCOME_CONFIG, '2019-12-31')).toThrow('starts on 2020-01-01');
    });

    it('are frozen, so no caller changes them for the whole process', () => {
      expect(Object.isFrozen(DEFAULT_OUTCOME_CONFIG.minimumWage[0])).toBe(true);
      expect(Object.isFrozen(DEFAULT_OUTCOME_CONFIG.thresholds)).toBe(true);
    });

    it('are themselves a valid configuration file', () => {
      expect(parseOutcomeConfig(JSON.parse(JSON.stringify(DEFAULT_OUTCOME_CONFIG)))).toEqual(
        DEFAULT_OUTCOME_CONFIG,
      );
    });
  });

  describe('an operator’s file', () => {
    const valid = {
      minimumWage: [{ effectiveFrom: '2025-10-01', hourlyCents: 1760 }],
      thresholds: [{ effectiveFrom: '2020-01-01', minimumHoursPerWeek: 20, concurrentJobsCapRate: 0.05 }],
    };

    it('takes the already-working threshold from the hours threshold when it is left out', () => {
      expect(parseOutcomeConfig(valid).thresholds[0]?.alreadyWorkingHoursPerWeek).toBe(20);
    });

    it('refuses entries out of date order and two entries on one date', () => {
      const problems = problemsOf(() =>
        parseOutcomeConfig({
          ...valid,
          minimumWage: [
            { effectiveFrom: '2024-10-01', hourlyCents: 1720 },
            { effectiveFrom: '2023-10-01', hourlyCents: 1655 },
            { effectiveFrom: '2023-10-01', hourlyCents: 1656 },
          ],
        }),
      );
      expect(problems).toEqual([
        'minimumWage.1.effectiveFrom: 2023-10-01 comes before 2024-10-01; sort entries by date',
        'minimumWage.2.effectiveFrom: 2023-10-01 is the date of the entry before; dates are unique',
      ]);
    });

    it('reports every problem at once, each with its path', () => {
      const problems = problemsOf(() =>
        parseOutcomeConfig({
          minimumWage: [
            { effectiveFrom: '2023-02-30', hourlyCents: 1655 },
            { effectiveFrom: '2024-10-01', hourlyCents: 17.2 },
            { effectiveFrom: '2025-10-01', hourlyCents: -1 },
          ],
          thresholds: [
            { effectiveFrom: '2020-01-01', minimumHoursPerWeek: 0, concurrentJobsCapRate: 1.5, cap: 3 },
          ],
        }),
      );
      expect(problems.map((p) => p.split(':')[0])).toEqual([
        'minimumWage.0.effectiveFrom',
        'minimumWage.1.hourlyCents',
        'minimumWage.2.hourlyCents',
        'thresholds.0.minimumHoursPerWeek',
        'thresholds.0.concurrentJobsCapRate',
        'thresholds.0',
      ]);
      expect(problems[5]).toContain('"cap"');
      expect(problems[0]).toContain('must be a real date');
      expect(problems[1]).toContain('whole cents');
    });

    it('refuses missing or empty tables and anything that is not an object', () => {
      expect(problemsOf(() => parseOutcomeConfig({ minimumWage: [] }))).toHaveLength(2);
      expect(problemsOf(() => parseOutcomeConfig([])).length).toBeGreaterThan(0);
      expect(problemsOf(() => parseOutcomeConfig(null)).length).toBeGreaterThan(0);
    });
  });

  describe('loaded from a path', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'outcome-config-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('uses the defaults when no path is configured', () => {
      expect(loadOutcomeConfig(undefined)).toBe(DEFAULT_OUTCOME_CONFIG);
      expect(loadOutcomeConfig('  ')).toBe(DEFAULT_OUTCOME_CONFIG);
    });

    it('reads and validates the named file', () => {
      const path = file(
        'ok.json',
        JSON.stringify({
          minimumWage: [{ effectiveFrom: '2026-10-01', hourlyCents: 1800 }],
          thresholds: [{ effectiveFrom: '2026-01-01', minimumHoursPerWeek: 15, concurrentJobsCapRate: 0.1 }],
        }),
      );
      expect(minimumWageOn(loadOutcomeConfig(path), '2026-10-01').hourlyCents).toBe(1800);
    });

    it('names the file in every problem: unreadable, not JSON, or invalid', () => {
      const missing = join(dir, 'missing.json');
      expect(problemsOf(() => loadOutcomeConfig(missing))).toEqual([
        `outcome configuration ${missing}: cannot be read (ENOENT)`,
      ]);
      const broken = file('broken.json', '{"minimumWage": [');
      expect(problemsOf(() => loadOutcomeConfig(broken))[0]).toMatch(
        new RegExp(`^outcome configuration ${broken}: not valid JSON`),
      );
      const invalid = file('invalid.json', '{"minimumWage": [], "thresholds": []}');
      expect(problemsOf(() => loadOutcomeConfig(invalid))).toEqual([
        expect.stringMatching(new RegExp(`^outcome configuration ${invalid}: minimumWage: `)),
        expect.stringMatching(new RegExp(`^outcome configuration ${invalid}: thresholds: `)),
      ]);
    });
  });
});

describe('Checkpoints', () => {
  it('fall 1, 3, 6 and 12 months after the job starts', () => {
    expect(CHECKPOINTS.map((c) => checkpointDate('2024-01-15', c))).toEqual([
      '2024-02-15',
      '2024-04-15',
      '2024-07-15',
      '2025-01-15',
    ]);
  });

  it('fall on the last day of a shorter month', () => {
    expect(checkpointDate('2024-01-31', 'MONTH_1')).toBe('2024-02-29');
    expect(checkpointDate('2023-01-31', 'MONTH_1')).toBe('2023-02-28');
    expect(checkpointDate('2024-02-29', 'MONTH_12')).toBe('2025-02-28');
    expect(checkpointDate('2023-08-31', 'MONTH_6')).toBe('2024-02-29');
  });

  it('are reached on their date', () => {
    expect(checkpointsReached('2024-01-15', '2024-04-14')).toEqual(['MONTH_1']);
    expect(checkpointsReached('2024-01-15', '2024-04-15')).toEqual(['MONTH_1', 'MONTH_3']);
    expect(() => checkpointDate('2024-13-01', 'MONTH_1')).toThrow(RangeError);
  });
});

describe('Funded outcome', () => {
  describe('for one job of 25 hours a week at $18 with a pay stub', () => {
    it('is funded, on that job alone, measured against the values of the checkpoint date', () => {
      expect(assess()).toEqual({
        funded: true,
        reasons: [],
        usesConcurrentJobs: false,
        countedJobs: [0],
        jobs: [{ eligible: true, reasons: [] }],
        alreadyWorkingAtStart: false,
        eligibleHoursPerWeek: 25,
        minimumHoursPerWeek: 20,
        minimumWageCents: 1655,
      });
    });
  });

  describe('hours a week', () => {
    it('are enough at exactly 20', () => {
      expect(assess({ jobs: [job({ hoursPerWeek: 20 })] }).funded).toBe(true);
    });

    it('fall short at 19.99', () => {
      expect(reasonsOf({ jobs: [job({ hoursPerWeek: 19.99 })] })).toEqual(['BELOW_MINIMUM_HOURS']);
    });
  });

  describe('the wage', () => {
    it('is enough at exactly the minimum wage', () => {
      expect(assess({ jobs: [job({ hourlyWageCents: 1655 })] }).funded).toBe(true);
    });

    it('falls short one cent below it, and the hours are not what failed', () => {
      expect(reasonsOf({ jobs: [job({ hourlyWageCents: 1654 })] })).toEqual(['BELOW_MINIMUM_WAGE']);
    });

    it('is measured against the minimum wage in force on the checkpoint date, not the job start', () => {
      // Job started at $16.55 in July 2024; the minimum became $17.20 on 1 October 2024.
      const atOldMinimum = job({ startedOn: '2024-07-01', hourlyWageCents: 1655 });
      const before = assess({ checkpointDate: '2024-09-30', jobs: [atOldMinimum] });
      const onChange = assess({ checkpointDate: '2024-10-01', jobs: [atOldMinimum] });
      expect(before).toMatchObject({ funded: true, minimumWageCents: 1655 });
      expect(onChange).toMatchObject({
        funded: false,
        reasons: ['BELOW_MINIMUM_WAGE'],
        minimumWageCents: 1720,
      });
    });
  });

  describe('for a client already working 20 hours at plan start', () => {
    const atStart = [{ employer: 'Niagara Foods', hoursPerWeek: 20 }];

    it('does not count a job with the same employer, however it is spelt', () => {
      const result = assess({ employedAtStart: atStart, jobs: [job({ employer: '  niagara   FOODS ' })] });
      expect(result).toMatchObject({
        funded: false,
        reasons: ['SAME_EMPLOYER_ALREADY_EMPLOYED'],
        alreadyWorkingAtStart: true,
      });
    });

    it('counts a job with a new employer', () => {
      expect(assess({ employedAtStart: atStart, jobs: [job({ employer: 'Brock University' })] }).funded).toBe(
        true,
      );
    });

    it('adds up every job held at start to decide whether the client was already working', () => {
      const twoHalves = [
        { employer: 'Niagara Foods', hoursPerWeek: 12.5 },
        { employer: 'Corner Store', hoursPerWeek: 7.5 },
      ];
      const result = assess({ employedAtStart: twoHalves, jobs: [job({ employer: 'Corner Store' })] });
      expect(result.reasons).toEqual(['SAME_EMPLOYER_ALREADY_EMPLOYED']);
    });
  });

  describe('for a client working under 20 hours at plan start', () => {
    it('counts more hours with the same employer', () => {
      const result = assess({ employedAtStart: [{ employer: 'Niagara Foods', hoursPerWeek: 19.5 }] });
      expect(result).toMatchObject({ funded: true, alreadyWorkingAtStart: false });
    });
  });

  describe('with concurrent jobs', () => {
    it('adds up the hours of two jobs and says the outcome uses concurrent jobs', () => {
      const result = assess({
        jobs: [job({ hoursPerWeek: 12.5 }), job({ employer: 'Corner Store', hoursPerWeek: 7.5 })],
      });
      expect(result).toMatchObject({
        funded: true,
        usesConcurrentJobs: true,
        countedJobs: [0, 1],
        eligibleHoursPerWeek: 20,
      });
    });

    it('rests on the single job with the most hours when one is enough, so the cap is not used', () => {
      const result = assess({
        jobs: [job({ hoursPerWeek: 10 }), job({ hoursPerWeek: 22 }), job({ hoursPerWeek: 30 })],
      });
      expect(result).toMatchObject({ funded: true, usesConcurrentJobs: false, countedJobs: [2] });
    });

    it('never averages wages: a job under the minimum adds no hours', () => {
      const underpaid = job({ employer: 'Corner Store', hoursPerWeek: 10, hourlyWageCents: 1500 });
      const short = assess({ jobs: [job({ hoursPerWeek: 15, hourlyWageCents: 3000 }), underpaid] });
      expect(short).toMatchObject({
        funded: false,
        reasons: ['BELOW_MINIMUM_WAGE'],
        eligibleHoursPerWeek: 15,
      });
      expect(short.jobs[1]).toEqual({ eligible: false, reasons: ['BELOW_MINIMUM_WAGE'] });
    });

    it('leaves an ineligible side job out of a funded outcome without a reason against it', () => {
      const underpaid = job({ employer: 'Corner Store', hoursPerWeek: 5, hourlyWageCents: 1500 });
      const result = assess({ jobs: [job({ hoursPerWeek: 22 }), underpaid] });
      expect(result).toMatchObject({
        funded: true,
        reasons: [],
        countedJobs: [0],
        usesConcurrentJobs: false,
      });
      expect(result.jobs[1]?.reasons).toEqual(['BELOW_MINIMUM_WAGE']);
    });
  });

  describe('a subsidized placement', () => {
    const subsidized = (until: string) => ({ jobs: [job({ subsidizedUntil: until })] });

    it('counts when the subsidy ended the day before the checkpoint', () => {
      expect(assess(subsidized(addDays(CHECKPOINT_DATE, -1))).funded).toBe(true);
    });

    it('does not count when the subsidy ends on the checkpoint date or later', () => {
      expect(reasonsOf(subsidized(CHECKPOINT_DATE))).toEqual(['SUBSIDY_NOT_ENDED']);
      expect(reasonsOf(subsidized('2024-12-31'))).toEqual(['SUBSIDY_NOT_ENDED']);
    });
  });

  describe('the dates of a job', () => {
    it('count a job started on the checkpoint date, not one started the day after', () => {
      expect(assess({ jobs: [job({ startedOn: CHECKPOINT_DATE })] }).funded).toBe(true);
      expect(reasonsOf({ jobs: [job({ startedOn: addDays(CHECKPOINT_DATE, 1) })] })).toEqual([
        'JOB_STARTED_AFTER_CHECKPOINT',
      ]);
    });

    it('count a job ending on the checkpoint date, not one that ended the day before', () => {
      expect(assess({ jobs: [job({ endedOn: CHECKPOINT_DATE })] }).funded).toBe(true);
      expect(reasonsOf({ jobs: [job({ endedOn: addDays(CHECKPOINT_DATE, -1) })] })).toEqual([
        'JOB_ENDED_BEFORE_CHECKPOINT',
      ]);
    });
  });

  describe('evidence', () => {
    it.each([
      [['PAY_STUB'], false, []],
      [['EMPLOYER_LETTER'], false, []],
      [['ATTESTATION'], true, []],
      [['ATTESTATION'], false, ['ATTESTATION_NOT_PRE_APPROVED']],
      [['PAY_STUB', 'ATTESTATION'], false, []],
      [[], true, ['NO_EVIDENCE']],
    ] as const)('of %j with pre-approval %s fails %j', (evidence, attestationPreApproved, reasons) => {
      expect(reasonsOf({ evidence: [...evidence], attestationPreApproved })).toEqual(reasons);
    });
  });

  describe('for a client found not employed', () => {
    it('gives NOT_EMPLOYED as the only reason', () => {
      expect(assess({ employed: false, jobs: [], evidence: [] })).toMatchObject({
        funded: false,
        reasons: ['NOT_EMPLOYED'],
        countedJobs: [],
        usesConcurrentJobs: false,
      });
    });
  });

  describe('when several clauses fail', () => {
    it('lists every one, once, in the catalogue order', () => {
      const result = assess({
        evidence: ['ATTESTATION'],
        employedAtStart: [{ employer: 'Niagara Foods', hoursPerWeek: 35 }],
        jobs: [
          job({ hoursPerWeek: 5, hourlyWageCents: 1000 }),
          job({ employer: 'Corner Store', hoursPerWeek: 4, subsidizedUntil: '2024-06-30' }),
          job({ employer: 'Other', hoursPerWeek: 3, hourlyWageCents: 1200, startedOn: '2024-05-01' }),
        ],
      });
      expect(result.reasons).toEqual([
        'ATTESTATION_NOT_PRE_APPROVED',
        'JOB_STARTED_AFTER_CHECKPOINT',
        'SUBSIDY_NOT_ENDED',
        'SAME_EMPLOYER_ALREADY_EMPLOYED',
        'BELOW_MINIMUM_WAGE',
        'BELOW_MINIMUM_HOURS',
      ]);
      expect(result.jobs.map((j) => j.reasons)).toEqual([
        ['SAME_EMPLOYER_ALREADY_EMPLOYED', 'BELOW_MINIMUM_WAGE'],
        ['SUBSIDY_NOT_ENDED'],
        ['JOB_STARTED_AFTER_CHECKPOINT', 'BELOW_MINIMUM_WAGE'],
      ]);
    });

    it('lists a reason exactly when the outcome is not funded', () => {
      const variants: Partial<FundedOutcomeInput>[] = [
        {},
        { evidence: [] },
        { jobs: [job({ hoursPerWeek: 19 })] },
        { jobs: [job({ hoursPerWeek: 19 }), job({ hoursPerWeek: 1, subsidizedUntil: CHECKPOINT_DATE })] },
        { jobs: [job({ hoursPerWeek: 10 }), job({ hoursPerWeek: 10 })] },
        { employed: false },
      ];
      for (const variant of variants) {
        const result = assess(variant);
        expect(result.funded).toBe(result.reasons.length === 0);
        expect(result.reasons.every((r) => OUTCOME_REASONS.includes(r))).toBe(true);
      }
    });
  });

  describe('when the thresholds change on a date', () => {
    const stricter: OutcomeConfig = {
      ...DEFAULT_OUTCOME_CONFIG,
      thresholds: [
        ...DEFAULT_OUTCOME_CONFIG.thresholds,
        {
          effectiveFrom: '2026-04-01',
          minimumHoursPerWeek: 25,
          alreadyWorkingHoursPerWeek: 25,
          concurrentJobsCapRate: 0.1,
        },
      ],
    };
    const twentyTwoHours = { jobs: [job({ startedOn: '2026-01-01', hoursPerWeek: 22 })] };

    it('applies the old threshold until the day before and the new one from its first day', () => {
      expect(assess({ ...twentyTwoHours, checkpointDate: '2026-03-31' }, stricter).funded).toBe(true);
      expect(assess({ ...twentyTwoHours, checkpointDate: '2026-04-01' }, stricter)).toMatchObject({
        funded: false,
        reasons: ['BELOW_MINIMUM_HOURS'],
        minimumHoursPerWeek: 25,
      });
    });

    it('switches the concurrent-jobs cap on the same day', () => {
      expect(concurrentJobsCap(100, stricter, '2026-03-31')).toBe(5);
      expect(concurrentJobsCap(100, stricter, '2026-04-01')).toBe(10);
    });
  });
});

describe('Concurrent-jobs cap', () => {
  it('is 5% of the catchment’s clients at the checkpoint, rounded down', () => {
    expect(concurrentJobsCap(100, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toBe(5);
    expect(concurrentJobsCap(39, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toBe(1);
    expect(concurrentJobsCap(20, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toBe(1);
    expect(concurrentJobsCap(19, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toBe(0);
    expect(concurrentJobsCap(0, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toBe(0);
    expect(concurrentJobsCap(63_200, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toBe(3160);
  });

  it('is not lowered by floating-point error', () => {
    const rate = (r: number): OutcomeConfig => ({
      ...DEFAULT_OUTCOME_CONFIG,
      thresholds: [{ ...DEFAULT_OUTCOME_CONFIG.thresholds[0]!, concurrentJobsCapRate: r }],
    });
    expect(0.29 * 100).toBeLessThan(29);
    expect(concurrentJobsCap(100, rate(0.29), CHECKPOINT_DATE)).toBe(29);
    expect(concurrentJobsCap(100, rate(0.07), CHECKPOINT_DATE)).toBe(7);
  });

  it('refuses a count that is not a whole, non-negative number', () => {
    for (const bad of [-1, 2.5, Number.NaN, Infinity])
      expect(() => concurrentJobsCap(bad, DEFAULT_OUTCOME_CONFIG, CHECKPOINT_DATE)).toThrow(RangeError);
  });
});

describe('A verification entering the service', () => {
  const check = (extra: Partial<FundedOutcomeInput>) => validateFundedOutcomeInput(verified(extra));

  it('is accepted when well-formed', () => {
    expect(check({})).toBeNull();
    expect(check({ employed: false, jobs: [], evidence: [] })).toBeNull();
    expect(check({ jobs: [job({ hoursPerWeek: 20.25, endedOn: null })] })).toBeNull();
  });

  it('refuses too many jobs before looking at any of them', () => {
    const jobs = Array.from({ length: MAX_OUTCOME_JOBS + 1 }, () => job({ employer: '\u0000' }));
    expect(check({ jobs })).toMatchObject({
      field: 'input.jobs',
      message: expect.stringContaining('10 jobs'),
    });
  });

  it.each([
    [{ checkpoint: 'MONTH_2' as never }, 'input.checkpoint'],
    [{ checkpointDate: '2024-02-30' }, 'input.checkpointDate'],
    [{ evidence: ['SELFIE' as never] }, 'input.evidence'],
    [{ evidence: ['PAY_STUB', 'PAY_STUB'] as const }, 'input.evidence'],
    [{ jobs: [] }, 'input.jobs'],
    [{ jobs: [job({ employer: '  ' })] }, 'input.jobs.0.employer'],
    [{ jobs: [job({ employer: 'Acme\u001b[2J' })] }, 'input.jobs.0.employer'],
    [{ jobs: [job({ startedOn: '2024-1-5' })] }, 'input.jobs.0.startedOn'],
    [{ jobs: [job({ endedOn: '2024-01-14' })] }, 'input.jobs.0.endedOn'],
    [{ jobs: [job({ hoursPerWeek: 0 })] }, 'input.jobs.0.hoursPerWeek'],
    [{ jobs: [job({ hoursPerWeek: 168.5 })] }, 'input.jobs.0.hoursPerWeek'],
    [{ jobs: [job({ hoursPerWeek: 20.125 })] }, 'input.jobs.0.hoursPerWeek'],
    [{ jobs: [job({ hoursPerWeek: Number.NaN })] }, 'input.jobs.0.hoursPerWeek'],
    [{ jobs: [job({ hourlyWageCents: 17.6 })] }, 'input.jobs.0.hourlyWageCents'],
    [{ jobs: [job({ hourlyWageCents: 0 })] }, 'input.jobs.0.hourlyWageCents'],
    [{ jobs: [job({ hourlyWageCents: 100_001 })] }, 'input.jobs.0.hourlyWageCents'],
    [{ jobs: [job({ subsidizedUntil: '2024-01-14' })] }, 'input.jobs.0.subsidizedUntil'],
    [{ employedAtStart: [{ employer: 'A', hoursPerWeek: -1 }] }, 'input.employedAtStart.0.hoursPerWeek'],
    [{ employedAtStart: [{ employer: 'A\u0000', hoursPerWeek: 5 }] }, 'input.employedAtStart.0.employer'],
    [
      { employedAtStart: Array.from({ length: 11 }, () => ({ employer: 'A', hoursPerWeek: 1 })) },
      'input.employedAtStart',
    ],
  ] as [Partial<FundedOutcomeInput>, string][])('refuses %j at %s', (extra, field) => {
    expect(check(extra)).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });
});
