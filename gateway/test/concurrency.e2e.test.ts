import { graphqlRequest } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';

const AMEND_AGREEMENT = `mutation Amend($input: AmendAgreementFundingInput!) {
  amendAgreementFunding(input: $input) { ok agreement { version } error { code } }
}`;
const AMEND_CONTRACT = `mutation Amend($input: AmendContractFundingInput!) {
  amendContractFunding(input: $input) { ok contract { version } error { code } }
}`;
const AGREEMENT = `query($id: ID!) { providerAgreement(id: $id) { version funding { fixed } amendments { number reason after { funding { fixed } } } } }`;
const CONTRACT = `query($id: ID!) { contract(id: $id) { version funding { fixed } amendments { number reason } } }`;

const funding = (fixed: number) => ({ fixed, performanceBased: 100_000 });

/**
 * Simultaneous amendments of one agreement and one contract, through the gateway to the real
 * subgraphs (as processes) on the embedded engine: exactly one ok per version, nothing lost.
 */
describe('Amendments under concurrency, through the gateway', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    // Twenty simultaneous writes queue up in the embedded engine: allow them more than the harness's 30 s.
    stack = await startStack('concurrency_e2e', { gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '120000' } });
    token = await stack.auth.token('MINISTRY', { subject: 'ministry-analyst' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const send = (query: string, input: Record<string, unknown>) =>
    graphqlRequest(stack.graphqlUrl, query, { token, variables: { input } });
  const amendAgreement = async (agreementId: string, i: number, expectedVersion?: number) => {
    const { body } = await send(AMEND_AGREEMENT, {
      agreementId,
      funding: funding(1_000_000 + i),
      reason: `Amendment ${i}`,
      asOf: '2025-06-01',
      expectedVersion,
    });
    expect(body.errors).toBeUndefined();
    return body.data!.amendAgreementFunding;
  };
  const read = async (query: string, id: string, field: string) =>
    (await graphqlRequest(stack.graphqlUrl, query, { token, variables: { id } })).body.data![field];

  describe('when 20 callers amend one agreement at once', () => {
    it('answers ok once per version and CONFLICT otherwise, and the history holds exactly the oks', async () => {
      const id = 'agr-sp-durham-1-2025-04-01';
      const payloads = await Promise.all(Array.from({ length: 20 }, (_, i) => amendAgreement(id, i)));
      const ok = payloads.filter((p) => p.ok);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      expect(payloads.filter((p) => !p.ok).map((p) => p.error.code)).toEqual(
        Array(20 - ok.length).fill('CONFLICT'),
      );
      expect(new Set(ok.map((p) => p.agreement.version)).size).toBe(ok.length);

      const agreement = await read(AGREEMENT, id, 'providerAgreement');
      expect(agreement.version).toBe(1 + ok.length);
      expect(agreement.amendments.map((a: { number: number }) => a.number)).toEqual(
        Array.from({ length: ok.length }, (_, i) => i + 1),
      );
      expect(agreement.funding.fixed).toBe(agreement.amendments.at(-1).after.funding.fixed);
    });

    it('answers exactly one ok when all name the version they read', async () => {
      const id = 'agr-sp-durham-2-2025-04-01';
      const payloads = await Promise.all(Array.from({ length: 20 }, (_, i) => amendAgreement(id, i, 1)));
      expect(payloads.filter((p) => p.ok)).toHaveLength(1);
      expect(payloads.filter((p) => p.error?.code === 'CONFLICT')).toHaveLength(19);
      expect((await read(AGREEMENT, id, 'providerAgreement')).amendments).toHaveLength(1);
    });
  });

  describe('when 20 callers amend one agreement at once and retry on CONFLICT', () => {
    it('applies all 20 in 20 consecutive versions', async () => {
      const id = 'agr-sp-london-1-2025-04-01';
      const versions = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          for (;;) {
            const payload = await amendAgreement(id, i);
            if (payload.ok) return payload.agreement.version as number;
            expect(payload.error.code).toBe('CONFLICT');
          }
        }),
      );
      expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      const agreement = await read(AGREEMENT, id, 'providerAgreement');
      expect(agreement.amendments.map((a: { reason: string }) => a.reason).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `Amendment ${i}`).sort(),
      );
    });
  });

  describe('when 20 callers amend one contract at once and retry on CONFLICT', () => {
    it('applies all 20 in 20 consecutive versions', async () => {
      const id = 'contract-ottawa';
      const versions = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          for (;;) {
            const { body } = await send(AMEND_CONTRACT, {
              contractId: id,
              funding: funding(50_000_000 + i),
              reason: `Contract amendment ${i}`,
            });
            const payload = body.data!.amendContractFunding;
            if (payload.ok) return payload.contract.version as number;
            expect(payload.error.code).toBe('CONFLICT');
          }
        }),
      );
      expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect((await read(CONTRACT, id, 'contract')).amendments).toHaveLength(20);
    });
  });
});
