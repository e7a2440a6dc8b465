import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseActionPlanLine, type ActionPlanLine } from '@ies/clients/src/exchange/action-plan-line';
import { generateDisputes } from '@ies/disputes/src/exchange/dispute-generator';
import { parseDisputeLine, type DisputeLine } from '@ies/disputes/src/exchange/dispute-line';
import { SEED_SAMPLE as DISPUTES_SEED_SAMPLE } from '@ies/disputes/src/seed/seed-disputes';
import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

const REPO_ROOT = resolve(__dirname, '../..');
/** Each CLI run starts Node with tsx and loads a service: seconds each on two busy cores. */
const CLI_TIMEOUT_MS = 180_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The exchange CLI as `npm run generate|import|export` runs it: from the repository root, `env` added. */
function exchangeCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/exchange/cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

const shown = (run: CliRun) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

/** The counts line an import ends with: `disputes import: 3 lines, 1 accepted, 1 unchanged, 1 rejected in 0.4 s`. */
function importCounts(kind: string, run: CliRun) {
  const match = new RegExp(
    `^${kind} import: (\\d+) lines, (\\d+) accepted, (\\d+) unchanged, (\\d+) rejected in \\d+\\.\\d s$`,
    'm',
  ).exec(run.stdout);
  if (!match) throw new Error(`no ${kind} import counts line:\n${shown(run)}`);
  const [lines, accepted, unchanged, rejected] = match.slice(1).map(Number);
  return { lines, accepted, unchanged, rejected };
}

/** The `line N: reason` messages of a run, by line number. */
const rejectedLines = (run: CliRun) =>
  new Map([...run.stderr.matchAll(/^line (\d+): (.+)$/gm)].map((m) => [Number(m[1]), m[2]!]));

const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

type InCatchment = { catchmentId: string };

const countIn = (lines: InCatchment[], catchmentIds: string[]) =>
  lines.filter((line) => catchmentIds.includes(line.catchmentId)).length;

/** `by catchment: peel 48 · york 2`, in the order the catchments first appear, as `generate` ends. */
function byCatchment(lines: InCatchment[]): string {
  const counts = new Map<string, number>();
  for (const { catchmentId } of lines) counts.set(catchmentId, (counts.get(catchmentId) ?? 0) + 1);
  return `by catchment: ${[...counts].map(([id, n]) => `${id} ${n}`).join(' · ')}`;
}

describe('The exchange CLI against the real stack (each service with its own database)', () => {
  let stack: Stack;
  let ministryToken: string;
  let dir: string;
  beforeAll(async () => {
    stack = await startStack('exchange_cli');
    ministryToken = await stack.auth.token('MINISTRY');
    dir = mkdtempSync(join(tmpdir(), 'exchange-cli-'));
  }, CLI_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const query = async (document: string, variables: Record<string, unknown>) => {
    const { body } = await graphqlRequest(stack.graphqlUrl, document, { token: ministryToken, variables });
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  describe('with action plans (the clients service)', () => {
    const kind = 'action-plans';
    const SUMMARY_CATCHMENTS = ['peel', 'muskoka-kawarthas'];
    const startedIn = async (catchmentIds: string[]) => {
      const data = await query(
        'query($ids: [ID!]) { actionPlanSummary(filter: { catchmentIds: $ids }) { started { value } } }',
        { ids: catchmentIds },
      );
      return data.actionPlanSummary.started.value as number;
    };
    const file = () => join(dir, 'plans.ndjson');
    let plans: ActionPlanLine[];
    let goodOfBadFile: ActionPlanLine[];
    let startedBefore: number;
    // The stack seeds a sample of every kind: the summary counts it too, so it is read before importing.
    beforeAll(async () => {
      startedBefore = await startedIn(SUMMARY_CATCHMENTS);
    });

    it(
      'generates the same small file for the same options, ending with its counts',
      async () => {
        const options = ['--seed', '7', '--set', 'prototype', '--scale', '0.002'];
        const run = await exchangeCli(['generate', kind, ...options, '--out', file()]);
        expect(run.code).toBe(0);
        const toStdout = await exchangeCli(['generate', kind, ...options, '--out', '-']);
        expect(toStdout.code).toBe(0);
        expect(toStdout.stdout).toBe(readFileSync(file(), 'utf8'));
        expect(toStdout.stderr).toContain('action-plans generate: ');
        plans = linesOf(file()).map((text) => {
          const parsed = parseActionPlanLine(text);
          if (!parsed.ok) throw new Error(parsed.reason);
          return parsed.line;
        });
        expect(plans.length).toBeGreaterThan(50);
        expect(run.stdout).toContain(`action-plans generate: ${plans.length} plans in `);
        expect(run.stdout).toContain(byCatchment(plans));
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'imports every line of the file through the service',
      async () => {
        const run = await exchangeCli(['import', kind, file()], stack.clientsEnv);
        expect({ code: run.code, counts: importCounts(kind, run) }).toEqual({
          code: 0,
          counts: { lines: plans.length, accepted: plans.length, unchanged: 0, rejected: 0 },
        });
        expect(rejectedLines(run).size).toBe(0);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'finds every line unchanged when the file is imported again',
      async () => {
        const run = await exchangeCli(['import', kind, file()], stack.clientsEnv);
        expect({ code: run.code, counts: importCounts(kind, run) }).toEqual({
          code: 0,
          counts: { lines: plans.length, accepted: 0, unchanged: plans.length, rejected: 0 },
        });
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'rejects exactly the bad lines of a file, each with its reason, and imports the good ones',
      async () => {
        const renamed = (plan: ActionPlanLine, name: string): ActionPlanLine => ({
          ...plan,
          camsReference: `AP-E2E-${name}`,
          client: { ...plan.client, camsReference: `CL-E2E-${name}` },
        });
        const inPeel = plans.filter((plan) => plan.catchmentId === 'peel');
        goodOfBadFile = [renamed(inPeel[0]!, 'good-1'), renamed(inPeel[1]!, 'good-2')];
        const hostile = renamed(plans[4]!, 'nul');
        const lines = [
          JSON.stringify(goodOfBadFile[0]),
          '{"camsReference":"AP-E2E-broken",',
          JSON.stringify({ ...renamed(plans[2]!, 'atlantis'), catchmentId: 'atlantis' }),
          '',
          JSON.stringify({ ...renamed(plans[3]!, 'no-closing-date'), status: 'CLOSED', closedOn: null }),
          JSON.stringify({ ...hostile, client: { ...hostile.client, givenName: 'Ada\u0000Lovelace' } }),
          JSON.stringify(goodOfBadFile[1]),
        ];
        const badFile = join(dir, 'plans-with-bad-lines.ndjson');
        writeFileSync(badFile, `${lines.join('\n')}\n`);

        const run = await exchangeCli(['import', kind, badFile], stack.clientsEnv);
        expect({ code: run.code, counts: importCounts(kind, run) }).toEqual({
          code: 2,
          counts: { lines: 6, accepted: 2, unchanged: 0, rejected: 4 },
        });
        const reasons = rejectedLines(run);
        expect([...reasons.keys()]).toEqual([2, 3, 5, 6]);
        expect(reasons.get(2)).toMatch(/JSON/);
        expect(reasons.get(3)).toMatch(/^catchmentId: .*catchment atlantis/);
        expect(reasons.get(5)).toMatch(/^closedOn: required/);
        expect(reasons.get(6)).toMatch(/^client\.givenName: .*control/);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'exports a catchment as lines that parse and that import back unchanged',
      async () => {
        const exported = join(dir, 'peel.ndjson');
        const run = await exchangeCli(
          ['export', kind, '--catchment', 'peel', '--out', exported],
          stack.clientsEnv,
        );
        expect(run.code).toBe(0);
        const lines = linesOf(exported);
        expect(run.stdout).toContain(`action-plans export: ${lines.length} plans of peel → ${exported}`);
        const parsed = lines.map((text) => parseActionPlanLine(text));
        expect(parsed.filter((p) => !p.ok)).toEqual([]);
        const references = new Set(parsed.map((p) => p.ok && p.line.camsReference));
        const importedInPeel = [...plans, ...goodOfBadFile].filter((p) => p.catchmentId === 'peel');
        expect(importedInPeel.length).toBeGreaterThan(0);
        expect(importedInPeel.filter((p) => !references.has(p.camsReference))).toEqual([]);

        const again = await exchangeCli(['import', kind, exported], stack.clientsEnv);
        expect({ code: again.code, counts: importCounts(kind, again) }).toEqual({
          code: 0,
          counts: { lines: lines.length, accepted: 0, unchanged: lines.length, rejected: 0 },
        });
      },
      CLI_TIMEOUT_MS,
    );

    it("counts the imported plans in the ministry's summary through the gateway", async () => {
      const imported = countIn([...plans, ...goodOfBadFile], SUMMARY_CATCHMENTS);
      expect(imported).toBeGreaterThan(0);
      expect(await startedIn(SUMMARY_CATCHMENTS)).toBe(startedBefore + imported);
    });
  });

  describe('with disputes (the disputes service)', () => {
    const kind = 'disputes';
    const SUMMARY_CATCHMENTS = ['hamilton-niagara-peninsula', 'durham', 'london'];
    const openedIn = async (catchmentIds: string[]) => {
      const data = await query(
        'query($ids: [ID!]) { disputeSummary(filter: { catchmentIds: $ids }) { opened { value } } }',
        { ids: catchmentIds },
      );
      return data.disputeSummary.opened.value as number;
    };
    const file = () => join(dir, 'disputes.ndjson');
    let disputes: DisputeLine[];
    let goodOfBadFile: DisputeLine[];
    let openedBefore: number;
    beforeAll(async () => {
      openedBefore = await openedIn(SUMMARY_CATCHMENTS);
    });

    it(
      'generates the same small file for the same options, ending with its counts',
      async () => {
        const options = ['--seed', '7', '--scale', '0.008'];
        const run = await exchangeCli(['generate', kind, ...options, '--out', file()]);
        expect(run.code).toBe(0);
        const toStdout = await exchangeCli(['generate', kind, ...options, '--out', '-']);
        expect(toStdout.code).toBe(0);
        expect(toStdout.stdout).toBe(readFileSync(file(), 'utf8'));
        expect(toStdout.stderr).toContain('disputes generate: ');
        disputes = linesOf(file()).map((text) => {
          const parsed = parseDisputeLine(text);
          if (!parsed.ok) throw new Error(parsed.reason);
          return parsed.line;
        });
        expect(disputes.length).toBeGreaterThan(10);
        expect(run.stdout).toContain(`disputes generate: ${disputes.length} disputes in `);
        expect(run.stdout).toContain(byCatchment(disputes));
        // The generator numbers references per catchment whatever the seed, so a generated file can
        // reuse references of the sample the stack was seeded with (an import would reject those
        // lines as changed): this seed and scale reuse none.
        const seeded = new Set([...generateDisputes(DISPUTES_SEED_SAMPLE)].map((d) => d.reference));
        expect(disputes.filter((d) => seeded.has(d.reference))).toEqual([]);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'imports every line of the file through the service',
      async () => {
        const run = await exchangeCli(['import', kind, file()], stack.disputesEnv);
        expect({ code: run.code, counts: importCounts(kind, run) }).toEqual({
          code: 0,
          counts: { lines: disputes.length, accepted: disputes.length, unchanged: 0, rejected: 0 },
        });
        expect(rejectedLines(run).size).toBe(0);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'finds every line unchanged when the file is imported again',
      async () => {
        const run = await exchangeCli(['import', kind, file()], stack.disputesEnv);
        expect({ code: run.code, counts: importCounts(kind, run) }).toEqual({
          code: 0,
          counts: { lines: disputes.length, accepted: 0, unchanged: disputes.length, rejected: 0 },
        });
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'rejects exactly the bad lines of a file, each with its reason, and imports the good ones',
      async () => {
        const renamed = (dispute: DisputeLine, name: string): DisputeLine => ({
          ...dispute,
          reference: `D-E2E-${name}`,
        });
        const resolved = disputes.find((d) => d.resolution !== null)!;
        goodOfBadFile = [renamed(disputes[0]!, 'GOOD1'), renamed(disputes[1]!, 'GOOD2')];
        const hostile = renamed(disputes[2]!, 'NUL');
        const lines = [
          JSON.stringify(goodOfBadFile[0]),
          '{"reference":"D-E2E-BROKEN",',
          JSON.stringify({ ...renamed(disputes[3]!, 'ATLANTIS'), catchmentId: 'atlantis' }),
          '',
          JSON.stringify({ ...renamed(resolved, 'UNRESOLVED'), resolution: null }),
          JSON.stringify({
            ...hostile,
            history: [
              { ...hostile.history[0]!, reason: 'Workshops\u0000cancelled' },
              ...hostile.history.slice(1),
            ],
          }),
          JSON.stringify(goodOfBadFile[1]),
        ];
        const badFile = join(dir, 'disputes-with-bad-lines.ndjson');
        writeFileSync(badFile, `${lines.join('\n')}\n`);

        const run = await exchangeCli(['import', kind, badFile], stack.disputesEnv);
        expect({ code: run.code, counts: importCounts(kind, run) }).toEqual({
          code: 2,
          counts: { lines: 6, accepted: 2, unchanged: 0, rejected: 4 },
        });
        const reasons = rejectedLines(run);
        expect([...reasons.keys()]).toEqual([2, 3, 5, 6]);
        expect(reasons.get(2)).toMatch(/JSON/);
        expect(reasons.get(3)).toMatch(/catchment atlantis/);
        expect(reasons.get(5)).toMatch(/^resolution: a RESOLVED step/);
        expect(reasons.get(6)).toMatch(/^history\[0\]\.reason: .*control/);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'exports a catchment as lines that parse and that import back unchanged',
      async () => {
        const catchmentId = goodOfBadFile[0]!.catchmentId;
        const exported = join(dir, `disputes-${catchmentId}.ndjson`);
        const run = await exchangeCli(
          ['export', kind, '--catchment', catchmentId, '--out', exported],
          stack.disputesEnv,
        );
        expect(run.code).toBe(0);
        const lines = linesOf(exported);
        expect(run.stdout).toContain(
          `disputes export: ${lines.length} disputes of ${catchmentId} → ${exported}`,
        );
        const parsed = lines.map((text) => parseDisputeLine(text));
        expect(parsed.filter((p) => !p.ok)).toEqual([]);
        const references = new Set(parsed.map((p) => p.ok && p.line.reference));
        const importedThere = [...disputes, ...goodOfBadFile].filter((d) => d.catchmentId === catchmentId);
        expect(importedThere.filter((d) => !references.has(d.reference))).toEqual([]);

        const again = await exchangeCli(['import', kind, exported], stack.disputesEnv);
        expect({ code: again.code, counts: importCounts(kind, again) }).toEqual({
          code: 0,
          counts: { lines: lines.length, accepted: 0, unchanged: lines.length, rejected: 0 },
        });
      },
      CLI_TIMEOUT_MS,
    );

    it("counts the imported disputes in the ministry's summary through the gateway", async () => {
      const imported = countIn([...disputes, ...goodOfBadFile], SUMMARY_CATCHMENTS);
      expect(imported).toBeGreaterThan(0);
      expect(await openedIn(SUMMARY_CATCHMENTS)).toBe(openedBefore + imported);
    });
  });

  describe('when called wrongly', () => {
    it.each([
      [
        ['import', 'complaints', 'x.ndjson'],
        /^error: unknown kind: complaints \(known: action-plans, disputes\)$/m,
      ],
      [['import', 'disputes', 'no-such-file.ndjson'], /^error: cannot read no-such-file\.ndjson: ENOENT$/m],
      [['import', 'action-plans'], /^error: import action-plans takes one file/m],
      [['export', 'disputes'], /^error: --catchment <id> is required$/m],
    ])(
      'exits 1 with a message and no stack trace: %j',
      async (args, message) => {
        const run = await exchangeCli(args, stack.disputesEnv);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).toContain('Run with --help for usage.');
        expect(run.stderr).not.toMatch(/^\s+at /m);
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'lists both kinds in --help',
      async () => {
        const run = await exchangeCli(['import', '--help']);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^ {2}action-plans {2,}\S/m);
        expect(run.stdout).toMatch(/^ {2}disputes {2,}\S/m);
      },
      CLI_TIMEOUT_MS,
    );
  });
});
