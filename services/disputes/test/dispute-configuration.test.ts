import { addDays, todayInOntario } from '@ies/calendar';
import {
  clientDispute,
  disputeApi,
  startDisputes,
  type Caller,
  type DisputesHarness,
} from './disputes-harness';

const POLICY = `serviceSystemManager { id } version inForce { effectiveFrom acknowledgeWithinBusinessDays resolveWithinBusinessDays }
  versions { effectiveFrom acknowledgeWithinBusinessDays resolveWithinBusinessDays reason }`;
const PROCESS = `catchment { id } howToFile languages version publishedAt
  responseTimes { acknowledgeWithinBusinessDays resolveWithinBusinessDays escalationLevels }
  escalationContacts { level name email phone } revisions { version reason howToFile languages }`;

describe('Disputes subgraph: SLA policies, the public process and the category catalogue', () => {
  let h: DisputesHarness;
  beforeAll(async () => {
    h = await startDisputes('disputes_config');
  });
  afterAll(async () => {
    await h.stop();
  });

  const today = todayInOntario();
  const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

  const setPolicy = (who: Caller, input: Record<string, unknown>) =>
    who
      .query(
        `mutation($input: SetDisputeSlaPolicyInput!) { setDisputeSlaPolicy(input: $input) { ok error { code message field } policy { ${POLICY} } } }`,
        { input: { reason: 'Faster answers promised in the 2026 plan', ...input } },
      )
      .then((r) => r.body.data!.setDisputeSlaPolicy);

  describe('an SSM’s SLA policy', () => {
    it('applies to disputes opened from its effective date and never rewrites the clocks of earlier ones', async () => {
      const ssm = h.ssmOf('durham');
      const earlier = await disputeApi(h.ministry).open(
        clientDispute({ reference: unique('D-POL'), on: addDays(today, -1) }),
      );
      expect(earlier.dispute.sla).toMatchObject({
        acknowledgeWithinBusinessDays: 5,
        resolveWithinBusinessDays: 25,
      });

      const set = await setPolicy(ssm, {
        serviceSystemManagerId: 'region-of-durham',
        acknowledgeWithinBusinessDays: 3,
        resolveWithinBusinessDays: 15,
      });
      expect(set.error).toBeNull();
      expect(set.policy).toMatchObject({
        serviceSystemManager: { id: 'region-of-durham' },
        version: 1,
        inForce: { effectiveFrom: today, acknowledgeWithinBusinessDays: 3, resolveWithinBusinessDays: 15 },
      });
      const later = await disputeApi(ssm).open(clientDispute({ on: today }));
      expect(later.dispute.sla).toMatchObject({
        acknowledgeWithinBusinessDays: 3,
        resolveWithinBusinessDays: 15,
      });
      expect((await disputeApi(ssm).get(earlier.dispute.id)).sla).toEqual(earlier.dispute.sla);

      const future = await setPolicy(h.ministry, {
        serviceSystemManagerId: 'region-of-durham',
        acknowledgeWithinBusinessDays: 4,
        resolveWithinBusinessDays: 20,
        effectiveFrom: addDays(today, 30),
        expectedVersion: 1,
      });
      expect(future.policy.versions.map((v: any) => v.effectiveFrom)).toEqual([today, addDays(today, 30)]);
      expect(future.policy.inForce).toMatchObject({ acknowledgeWithinBusinessDays: 3 });
      const read = await h.anonymous.query(
        `{ disputeSlaPolicy(serviceSystemManagerId: "region-of-durham") { inForce(asOf: "${addDays(today, 30)}") { acknowledgeWithinBusinessDays } } }`,
      );
      expect(read.body.data!.disputeSlaPolicy.inForce.acknowledgeWithinBusinessDays).toBe(4);
    });

    it('refuses a version that would start in the past', async () => {
      const refused = await setPolicy(h.ministry, {
        serviceSystemManagerId: 'city-of-windsor',
        acknowledgeWithinBusinessDays: 3,
        resolveWithinBusinessDays: 15,
        effectiveFrom: addDays(today, -1),
      });
      expect(refused.error).toMatchObject({ code: 'RULE_VIOLATION', field: 'input.effectiveFrom' });
    });

    it('may be set by an SSM user acting in every catchment the SSM manages, not in only one of them', async () => {
      const input = {
        serviceSystemManagerId: 'serco-canada',
        acknowledgeWithinBusinessDays: 4,
        resolveWithinBusinessDays: 30,
      };
      expect((await setPolicy(h.ssmOf('kingston-pembroke'), input)).error).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect((await setPolicy(h.provider('sp-london-1'), input)).error).toMatchObject({ code: 'FORBIDDEN' });
      const both = await setPolicy(h.ssmOf('kingston-pembroke', 'kitchener-waterloo-barrie'), input);
      expect(both).toMatchObject({ ok: true, policy: { version: 1 } });
      expect(
        (await setPolicy(h.ministry, { ...input, serviceSystemManagerId: 'nobody' })).error,
      ).toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('is the defaults, version 0, for an SSM that set none, and readable by anyone on its SSM', async () => {
      const { body } = await h.anonymous.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceSystemManager { id disputeSlaPolicy { ${POLICY} } } } }`,
        { r: [{ __typename: 'ServiceSystemManager', id: 'fleming-college' }] },
      );
      expect(body.data!._entities[0].disputeSlaPolicy).toEqual({
        serviceSystemManager: { id: 'fleming-college' },
        version: 0,
        inForce: { effectiveFrom: null, acknowledgeWithinBusinessDays: 5, resolveWithinBusinessDays: 25 },
        versions: [],
      });
    });
  });

  describe('the public dispute process', () => {
    const publish = (who: Caller, input: Record<string, unknown>) =>
      who
        .query(
          `mutation($input: PublishDisputeProcessInput!) { publishDisputeProcess(input: $input) { ok error { code message field } process { ${PROCESS} } } }`,
          {
            input: {
              catchmentId: 'london',
              howToFile:
                'Call or write to the City of London dispute office; we answer in English or French.',
              escalationContacts: [
                { level: 'SSM', name: 'City of London disputes office', email: 'disputes@london.example.ca' },
                { level: 'MINISTRY', name: 'Employment Ontario', phone: '+1 555 0199' },
              ],
              languages: ['English', 'Français', 'Arabic'],
              reason: 'Arabic added',
              ...input,
            },
          },
        )
        .then((r) => r.body.data!.publishDisputeProcess);

    it('is readable by anyone, also on the catchment, with the SSM’s response times', async () => {
      const { body } = await h.anonymous.query(
        `query($r: [_Any!]!) { disputeProcess(catchmentId: "windsor-sarnia") { ${PROCESS} }
          _entities(representations: $r) { ... on CatchmentArea { id disputeProcess { version languages } } } }`,
        {
          r: [
            { __typename: 'CatchmentArea', id: 'windsor-sarnia' },
            { __typename: 'CatchmentArea', id: 'toronto' },
          ],
        },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data!.disputeProcess).toMatchObject({
        catchment: { id: 'windsor-sarnia' },
        version: 1,
        languages: ['English', 'Français'],
        responseTimes: {
          acknowledgeWithinBusinessDays: 5,
          resolveWithinBusinessDays: 25,
          escalationLevels: ['PROVIDER', 'SSM', 'MINISTRY'],
        },
        revisions: [expect.objectContaining({ version: 1 })],
      });
      expect(body.data!._entities).toEqual([
        { id: 'windsor-sarnia', disputeProcess: { version: 1, languages: ['English', 'Français'] } },
        { id: 'toronto', disputeProcess: null },
      ]);
    });

    it('is published by the catchment’s SSM as a new version, keeping the earlier ones', async () => {
      const published = await publish(h.ssmOf('london'), { expectedVersion: 1 });
      expect(published.error).toBeNull();
      expect(published.process).toMatchObject({
        version: 2,
        languages: ['English', 'Français', 'Arabic'],
        escalationContacts: [
          {
            level: 'SSM',
            name: 'City of London disputes office',
            email: 'disputes@london.example.ca',
            phone: null,
          },
          { level: 'MINISTRY', name: 'Employment Ontario', email: null, phone: '+1 555 0199' },
        ],
      });
      expect(published.process.revisions.map((r: any) => [r.version, r.languages.length, r.reason])).toEqual([
        [1, 2, 'Synthetic dispute process'],
        [2, 3, 'Arabic added'],
      ]);
    });

    it.each([
      ['the SSM of another catchment', () => h.ssmOf('durham')],
      ['a provider', () => h.provider('sp-london-1')],
      ['the public', () => h.anonymous],
    ])('refuses %s', async (_who, who) => {
      expect((await publish(who(), { catchmentId: 'london' })).error).toMatchObject({ code: 'FORBIDDEN' });
    });

    it.each([
      ['no contact', { escalationContacts: [] }, 'input.escalationContacts'],
      [
        'a contact with neither email nor phone',
        { escalationContacts: [{ level: 'SSM', name: 'Desk' }] },
        'input.escalationContacts[0]',
      ],
      ['a language twice', { languages: ['English', 'english'] }, 'input.languages'],
      ['no way to file', { howToFile: ' ' }, 'input.howToFile'],
    ])('refuses a process with %s', async (_case, input, field) => {
      expect((await publish(h.ministry, { catchmentId: 'halton', ...input })).error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field,
      });
    });
  });

  describe('the category catalogue', () => {
    const save = (who: Caller, input: Record<string, unknown>) =>
      who
        .query(
          `mutation($input: SaveDisputeCategoryInput!) { saveDisputeCategory(input: $input) { ok error { code field } category { code label kinds active version } } }`,
          { input: { reason: 'Catalogue review', ...input } },
        )
        .then((r) => r.body.data!.saveDisputeCategory);

    it('holds the default categories, and the ministry adds and retires categories', async () => {
      const { body } = await h.anonymous.query(`{ disputeCategories { code label kinds } }`);
      expect(body.data!.disputeCategories.map((c: any) => c.code)).toEqual(
        expect.arrayContaining([
          'SERVICE_QUALITY',
          'ACCESS_AND_ACCOMMODATION',
          'LANGUAGE_SERVICES',
          'FUNDING_AND_PAYMENTS',
          'AGREEMENT_TERMS',
          'REFERRAL',
          'OTHER',
        ]),
      );
      const added = await save(h.ministry, {
        code: 'DIGITAL_SERVICES',
        label: 'Online and virtual services',
        kinds: ['CLIENT'],
        active: true,
      });
      expect(added.category).toEqual({
        code: 'DIGITAL_SERVICES',
        label: 'Online and virtual services',
        kinds: ['CLIENT'],
        active: true,
        version: 1,
      });
      expect(
        (
          await disputeApi(h.ministry).open(
            clientDispute({ category: 'DIGITAL_SERVICES', reference: unique('D-CAT') }),
          )
        ).ok,
      ).toBe(true);
      const retired = await save(h.ministry, {
        code: 'DIGITAL_SERVICES',
        label: 'Online and virtual services',
        kinds: ['CLIENT'],
        active: false,
        expectedVersion: 1,
      });
      expect(retired.category).toMatchObject({ active: false, version: 2 });
      const refused = await disputeApi(h.ministry).open(
        clientDispute({ category: 'DIGITAL_SERVICES', reference: unique('D-CAT') }),
      );
      expect(refused.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.category' });
      const listed = await h.anonymous.query(`{ disputeCategories(includeRetired: true) { code active } }`);
      expect(listed.body.data!.disputeCategories).toContainEqual({ code: 'DIGITAL_SERVICES', active: false });
    });

    it('is changed by the ministry only', async () => {
      const refused = await save(h.ssmOf('durham'), {
        code: 'OTHER',
        label: 'Anything',
        kinds: ['CLIENT'],
        active: true,
      });
      expect(refused.error).toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});
