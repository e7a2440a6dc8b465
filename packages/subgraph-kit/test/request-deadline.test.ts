import { parse } from 'graphql';
import { createLogger } from '@ies/logger';
import { principalOf, subgraphRequest } from '@ies/testkit';
import { createSubgraphServer, type SubgraphContext, type SubgraphServer } from '../src';

const SECRET = `deadline-test-${crypto.randomUUID()}`;
const STEPS = 50;
const STOP_AT = 10;

/** A mutation of STEPS aliased steps: GraphQL runs root mutation fields one after the other. */
const STEPS_MUTATION = `mutation { ${Array.from({ length: STEPS }, (_, i) => `s${i + 1}: step`).join(' ')} }`;

/** A log line the server wrote (its first argument, when an object, merged with the message). */
type LogLine = Record<string, unknown> & { msg?: string };

/**
 * A small subgraph built with the kit, on real HTTP: `step` counts its runs, and lets a test act while
 * the operation is under way (move the server's clock, make the caller go away), so that what happens
 * at the deadline is decided by events, not by how fast the machine is.
 */
async function startStepsSubgraph() {
  const clock = { offset: 0 };
  const state = { steps: 0, onStep: async (_step: number, _context: SubgraphContext) => {} };
  const lines: LogLine[] = [];
  const waiting: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const logger = createLogger('deadline-test', 'info', {
    hooks: {
      logMethod(args) {
        const [first, second] = args as unknown[];
        const line: LogLine =
          typeof first === 'object' && first !== null
            ? { ...(first as object), msg: second as string }
            : { msg: first as string };
        lines.push(line);
        for (const waiter of waiting.filter((w) => w.match(line))) waiter.resolve(line);
      },
    },
  });
  const server: SubgraphServer = await createSubgraphServer<SubgraphContext>({
    name: 'steps',
    typeDefs: parse(`type Query { steps: Int! } type Mutation { step: Int }`),
    resolvers: [
      {
        Query: { steps: () => state.steps },
        Mutation: {
          step: async (_: unknown, __: unknown, context: SubgraphContext) => {
            state.steps += 1;
            await state.onStep(state.steps, context);
            return state.steps;
          },
        },
      },
    ],
    logger,
    internalSecret: SECRET,
    deadline: { clock: () => Date.now() + clock.offset },
    readiness: async () => {},
    buildContext: (base) => base,
  });
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  return {
    url,
    clock,
    state,
    /** Forgets the log lines written so far. */
    forgetLog: () => {
      lines.length = 0;
    },
    /** Resolves with the first log line, past or future, that matches. */
    logged: (match: (line: LogLine) => boolean) =>
      new Promise<LogLine>((resolve) => {
        const seen = lines.find(match);
        if (seen) resolve(seen);
        else waiting.push({ match, resolve });
      }),
    send: (query: string, options: { deadline: number; signal?: AbortSignal }) =>
      subgraphRequest(url, query, {
        principal: principalOf('MINISTRY'),
        secret: SECRET,
        audience: 'steps',
        ...options,
      }),
    close: () => server.close(),
  };
}

describe('A subgraph request’s deadline', () => {
  let subgraph: Awaited<ReturnType<typeof startStepsSubgraph>>;
  beforeAll(async () => {
    subgraph = await startStepsSubgraph();
  });
  beforeEach(() => {
    subgraph.clock.offset = 0;
    subgraph.state.steps = 0;
    subgraph.state.onStep = async () => {};
    subgraph.forgetLog();
  });
  afterAll(async () => {
    await subgraph?.close();
  });

  const deadlineErrors = (errors: { extensions?: Record<string, unknown> }[] | undefined) =>
    (errors ?? []).filter((e) => e.extensions?.code === 'DEADLINE_EXCEEDED');

  describe('when the request arrives after its deadline', () => {
    it('is refused with 504 DEADLINE_EXCEEDED and runs no resolver', async () => {
      const response = await subgraph.send(STEPS_MUTATION, { deadline: Date.now() - 1 });
      expect(response.status).toBe(504);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        { message: expect.any(String), extensions: { code: 'DEADLINE_EXCEEDED' } },
      ]);
      expect(subgraph.state.steps).toBe(0);
    });
  });

  describe('when the deadline passes while the operation runs', () => {
    it('stops: the fields not yet started fail with DEADLINE_EXCEEDED instead of running', async () => {
      subgraph.state.onStep = async (step) => {
        // The deadline passes during the 10th step, as far as the server's clock can tell.
        if (step === STOP_AT) subgraph.clock.offset = 120_000;
      };
      const response = await subgraph.send(STEPS_MUTATION, { deadline: Date.now() + 60_000 });
      expect(response.status).toBe(200);
      expect(subgraph.state.steps).toBe(STOP_AT);
      const data = response.body.data as Record<string, number | null>;
      expect(Object.values(data).filter((v) => v !== null)).toHaveLength(STOP_AT);
      expect(deadlineErrors(response.body.errors)).toHaveLength(STEPS - STOP_AT);
      expect(response.body.errors).toHaveLength(STEPS - STOP_AT);
    });

    it('runs everything when the deadline does not pass', async () => {
      const response = await subgraph.send(STEPS_MUTATION, { deadline: Date.now() + 60_000 });
      expect(response.body.errors).toBeUndefined();
      expect(subgraph.state.steps).toBe(STEPS);
    });
  });

  describe('when the caller goes away while the operation runs', () => {
    it('stops at the next field and logs what it abandoned', async () => {
      const caller = new AbortController();
      subgraph.state.onStep = async (step, context) => {
        if (step !== STOP_AT) return;
        caller.abort();
        // Wait for the server to see the connection close (an event, not a delay).
        if (!context.deadline.signal.aborted) {
          await new Promise((resolve) => context.deadline.signal.addEventListener('abort', resolve));
        }
      };
      const abandoned = subgraph.logged((line) => line.msg === 'abandoned work past its deadline');
      await expect(
        subgraph.send(STEPS_MUTATION, { deadline: Date.now() + 60_000, signal: caller.signal }),
      ).rejects.toThrow();
      expect(await abandoned).toMatchObject({
        resolvedFields: STOP_AT,
        abandonedFields: STEPS - STOP_AT,
        callerGone: true,
      });
      expect(subgraph.state.steps).toBe(STOP_AT);
    });
  });

  describe('a request signed without a deadline', () => {
    it('runs, bounded by the longest a request may take', async () => {
      const response = await subgraphRequest(subgraph.url, '{ steps }', {
        principal: principalOf('PUBLIC'),
        secret: SECRET,
        audience: 'steps',
      });
      expect(response.body).toEqual({ data: { steps: 0 } });
    });
  });
});
