import { clientDispute, disputeApi, startDisputes, type DisputesHarness } from './disputes-harness';

/**
 * Stored text holds no NUL or other control character, and ids are plain identifiers: such input is
 * refused as VALIDATION_FAILED (mutations) or BAD_USER_INPUT (queries) before it reaches the database
 * (the embedded engine answers an internal error for a NUL).
 */
describe('Disputes subgraph: text and identifiers', () => {
  let h: DisputesHarness;
  beforeAll(async () => {
    h = await startDisputes('disputes_input');
  });
  afterAll(async () => {
    await h.stop();
  });

  const NUL = '\u0000';

  it('refuses a resolution summary with a NUL or a control character', async () => {
    const ministry = disputeApi(h.ministry);
    const { dispute } = await ministry.open(clientDispute({ reference: 'D-NUL-1' }));
    await ministry.acknowledge({ disputeId: dispute.id, reason: 'Received', on: '2025-03-04' });
    for (const summary of [`Put right${NUL}`, 'Put\u0007 right']) {
      const refused = await ministry.resolve({
        disputeId: dispute.id,
        outcome: 'UPHELD',
        summary,
        reason: 'Done',
        on: '2025-03-05',
      });
      expect(refused.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.resolution.summary' });
    }
  });

  it('refuses a client id or a provider id that is not a plain identifier', async () => {
    const ministry = disputeApi(h.ministry);
    for (const [input, field] of [
      [{ clientId: `client${NUL}` }, 'input.clientId'],
      [{ clientId: 'client 7' }, 'input.clientId'],
      [{ providerId: `sp-durham-1${NUL}` }, 'input.providerId'],
      [{ catchmentId: `durham${NUL}` }, 'input.catchmentId'],
    ] as const) {
      const refused = await ministry.open(clientDispute({ reference: 'D-NUL-2', ...input }));
      expect([field, refused.error]).toEqual([
        field,
        expect.objectContaining({ code: 'VALIDATION_FAILED', field }),
      ]);
    }
    const change = await ministry.acknowledge({ disputeId: `dsp-1${NUL}`, reason: 'Received' });
    expect(change.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.disputeId' });
  });

  it.each([
    ['dispute(id)', `query($v: ID!) { dispute(id: $v) { id } }`],
    ['disputes(filter)', `query($v: ID!) { disputes(filter: { clientId: $v }) { totalCount } }`],
    ['disputeProcess(catchmentId)', `query($v: ID!) { disputeProcess(catchmentId: $v) { version } }`],
    [
      'disputeSummary(catchmentIds)',
      `query($v: ID!) { disputeSummary(filter: { catchmentIds: [$v] }) { opened { value } } }`,
    ],
  ])('answers BAD_USER_INPUT for %s naming a NUL', async (_what, query) => {
    const { body } = await h.ministry.query(query, { v: `durham${NUL}` });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses control characters in a published process', async () => {
    const base = {
      catchmentId: 'london',
      howToFile: 'Call or write to the dispute office.',
      escalationContacts: [{ level: 'SSM', name: 'Disputes office', email: 'disputes@london.example.ca' }],
      languages: ['English'],
      reason: 'Publishing',
    };
    for (const [input, field] of [
      [{ howToFile: `Call us${NUL}` }, 'input.howToFile'],
      [
        { escalationContacts: [{ level: 'SSM', name: `Office${NUL}`, phone: '+1 555 0199' }] },
        'input.escalationContacts[0].name',
      ],
      [
        { escalationContacts: [{ level: 'SSM', name: 'Office', email: `a${NUL}@b.example.ca` }] },
        'input.escalationContacts[0].email',
      ],
      [{ languages: [`English${NUL}`] }, 'input.languages'],
    ] as const) {
      const { body } = await h.ministry.query(
        `mutation($input: PublishDisputeProcessInput!) { publishDisputeProcess(input: $input) { ok error { code field } } }`,
        { input: { ...base, ...input } },
      );
      expect([field, body.data?.publishDisputeProcess?.error]).toEqual([
        field,
        { code: 'VALIDATION_FAILED', field },
      ]);
    }
  });

  it('refuses a control character in a category label', async () => {
    const { body } = await h.ministry.query(
      `mutation($input: SaveDisputeCategoryInput!) { saveDisputeCategory(input: $input) { ok error { code field } } }`,
      {
        input: { code: 'NUL_TEST', label: `Label${NUL}`, kinds: ['CLIENT'], active: true, reason: 'Review' },
      },
    );
    expect(body.data?.saveDisputeCategory?.error).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'input.label',
    });
  });
});
