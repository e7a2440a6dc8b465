import { PRINCIPAL_HEADER, signPrincipalHeader } from '@ies/auth';
import { graphqlRequest, principalOf } from '@ies/testkit';
import { startStack, type Stack } from './stack-harness';
import { startWiretap, type TappedRequest, type Wiretap } from './wiretap';

const AGREEMENT = 'agr-sp-durham-1-2025-04-01';
const READ = `query Read($id: ID!) { providerAgreement(id: $id) { id version funding { fixed performanceBased } } }`;
const AMEND = `mutation { amendAgreementFunding(input: { agreementId: "${AGREEMENT}", funding: { fixed: 1, performanceBased: 0 }, reason: "replayed" }) { ok } }`;

/**
 * Issue 8, finding 5: a principal header captured on the internal network (here by a relay between
 * the gateway and the contracts subgraph) must be useless for anything but the one request it was
 * signed for, once.
 */
describe('A captured internal principal header', () => {
  let tap: Wiretap;
  let stack: Stack;
  let captured: TappedRequest;
  beforeAll(async () => {
    tap = await startWiretap();
    stack = await startStack('principal_replay', { gatewayEnv: { CONTRACTS_URL: tap.url } });
    tap.forwardTo(`${stack.contracts.url}/graphql`);
    const token = await stack.auth.token('MINISTRY');
    const read = await graphqlRequest(stack.graphqlUrl, READ, { token, variables: { id: AGREEMENT } });
    expect(read.body.errors).toBeUndefined();
    expect(tap.requests).toHaveLength(1);
    captured = tap.requests[0]!;
  });
  afterAll(async () => {
    await stack?.stop();
    await tap?.close();
  });

  const replay = async (url: string, body: string, header = captured.headers[PRINCIPAL_HEADER] as string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: header },
      body,
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const ministryRead = async () => {
    const token = await stack.auth.token('MINISTRY');
    return (await graphqlRequest(stack.graphqlUrl, READ, { token, variables: { id: AGREEMENT } })).body;
  };

  it('was signed by the gateway and carried a principal', () => {
    expect(captured.headers[PRINCIPAL_HEADER]).toEqual(expect.any(String));
  });

  it('is refused when replayed with the same body: it is good for one use', async () => {
    const { status, body } = await replay(`${stack.contracts.url}/graphql`, captured.body);
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REPLAYED' });
  });

  it('is refused as a ministry mutation in another body, and the agreement does not change', async () => {
    const before = await ministryRead();
    const { status, body } = await replay(`${stack.contracts.url}/graphql`, JSON.stringify({ query: AMEND }));
    expect(status).toBe(401);
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'BODY_MISMATCH' });
    expect(await ministryRead()).toEqual(before);
  });

  it('is refused by another subgraph', async () => {
    const { status, body } = await replay(`${stack.catchments.url}/graphql`, captured.body);
    expect(status).toBe(401);
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'WRONG_AUDIENCE' });
  });

  it('is refused once expired, even for its own subgraph and body, and when issued in the future', async () => {
    const body = JSON.stringify({ query: AMEND });
    const signedAt = (now: number) =>
      signPrincipalHeader(
        { principal: principalOf('MINISTRY'), requestId: 'replayed', audience: 'contracts', body },
        stack.auth.internalSecret,
        { now },
      );
    const before = await ministryRead();
    // Signed two minutes ago (the harness allows headers 30 s of life): what a replay after expiry carries.
    const expired = await replay(`${stack.contracts.url}/graphql`, body, signedAt(Date.now() - 120_000));
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'EXPIRED' });
    const future = await replay(`${stack.contracts.url}/graphql`, body, signedAt(Date.now() + 60_000));
    expect(future.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'NOT_YET_VALID' });
    expect(await ministryRead()).toEqual(before);
  });
});
