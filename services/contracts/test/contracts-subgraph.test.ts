import { addMonths, todayInOntario } from '@ies/calendar';
import { lookupsFor, principalOf } from '@ies/testkit';
import { seedNetwork } from '../src/seed/network-seed';
import { seedContracts } from '../src/seed/seed-contracts';
import { startContracts, type ContractsHarness } from './contracts-harness';

const AGREEMENT = `id kind status version catchment { id } provider { id organizationName } programs { id } sites { id onReserve }
  termStartDate termEndDate funding { fixed performanceBased total } targets { label measure value }`;
const PAYLOAD = `ok error { code message field } agreement { ${AGREEMENT} }`;

const network = seedNetwork();
const durhamCurrent = network.agreements.find(
  (a) => a.catchmentId === 'durham' && a.termStartDate === '2025-04-01',
)!;
const londonCurrent = network.agreements.find(
  (a) => a.catchmentId === 'london' && a.termStartDate === '2025-04-01',
)!;

describe('Contracts subgraph against FerretDB and the live catchments subgraph', () => {
  let h: ContractsHarness;

  beforeAll(async () => {
    h = await startContracts('contracts_subgraph');
  });
  afterAll(async () => {
    await h.stop();
  });

  const version = async (id: string) => (await h.agreements.findById(id, { version: 1 }).lean())!.version;

  const amendFunding = (
    who: ReturnType<ContractsHarness['as']>,
    agreementId: string,
    asOf: string,
    fixed = 123_456_00,
    extra: Record<string, unknown> = {},
  ) =>
    who.query(
      `mutation($input: AmendAgreementFundingInput!) { amendAgreementFunding(input: $input) { ${PAYLOAD} } }`,
      {
        input: {
          agreementId,
          asOf,
          funding: { fixed, performanceBased: 30_000_00 },
          reason: 'Caseload growth in the north of the region',
          ...extra,
        },
      },
    );

  describe('seed data', () => {
    it('covers the 12 catchments with an SSM and none of the TBA ones, and a second run inserts nothing', async () => {
      expect(h.seeded).toEqual({
        programsInserted: 10,
        providersInserted: network.providers.length,
        contractsInserted: 12,
        agreementsInserted: network.agreements.length,
      });
      expect(await seedContracts(h.connection)).toEqual({
        programsInserted: 0,
        providersInserted: 0,
        contractsInserted: 0,
        agreementsInserted: 0,
      });
      const { body } = await h.ministry.query(
        `{ contracts(first: 100) { totalCount edges { node { catchment { id } } } } }`,
      );
      const ids = body.data!.contracts.edges.map((e: any) => e.node.catchment.id);
      expect(body.data!.contracts.totalCount).toBe(12);
      expect(ids).not.toEqual(expect.arrayContaining(['toronto']));
      expect(ids).not.toContain('northeast');
    });

    it('holds both Phase 2 transition arrangements, Indigenous and Francophone providers and an on-reserve site', async () => {
      const { body } = await h.ministry.query(
        `{ providerAgreements(first: 100, filter: { catchmentId: "durham", status: EXPIRED }) { edges { node { kind termStartDate termEndDate provider { id } } } } }`,
      );
      const kinds = body.data!.providerAgreements.edges.map((e: any) => e.node);
      expect(kinds).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'MINISTRY_TRANSFER_PAYMENT', termEndDate: '2023-04-30' }),
          {
            kind: 'SSM_AGREEMENT',
            termStartDate: '2023-04-01',
            termEndDate: '2024-03-31',
            provider: { id: 'sp-durham-2' },
          },
        ]),
      );
      const indigenous = await h.ministry.query(
        `{ serviceProviders(filter: { indigenousProvider: true }) { edges { node { id organizationName sites { onReserve catchment { id } } } } } }`,
      );
      expect(indigenous.body.data!.serviceProviders.edges[0].node.organizationName).toMatch(/\(synthetic\)$/);
      expect(indigenous.body.data!.serviceProviders.edges[0].node.sites).toContainEqual({
        onReserve: true,
        catchment: { id: 'london' },
      });
      const francophone = await h.ministry.query(
        `{ serviceProviders(filter: { francophoneProvider: true }) { totalCount } }`,
      );
      expect(francophone.body.data!.serviceProviders.totalCount).toBeGreaterThanOrEqual(1);
      const programs = await h.ministry.query(`{ programs(scope: OUT_OF_SCOPE) { name overseer } }`);
      expect(programs.body.errors).toBeUndefined();
      expect(programs.body.data!.programs.map((p: any) => p.name).sort()).toEqual([
        'Apprenticeship',
        'Canada-Ontario Job Grant',
        'Literacy and Basic Skills',
      ]);
    });

    it('is the same on every run (seeded PRNG)', () => {
      expect(seedNetwork()).toEqual(network);
    });
  });

  describe('the catchment period read model', () => {
    it('is filled from the live catchments subgraph', async () => {
      const durham = await h.periodsOf('durham');
      expect(durham).toMatchObject({
        planningStartDate: '2023-02-01',
        transitionStartDate: '2023-05-01',
        iesDeliveryStartDate: '2024-01-01',
        ssmId: 'region-of-durham',
      });
      expect(await h.copies.countDocuments({})).toBe(15);
      expect(await h.periodsOf('toronto')).toMatchObject({
        ssmId: null,
        iesDeliveryStartDate: null,
      });
    });

    it('follows a date change in the catchments subgraph on the next sync', async () => {
      const before = (await h.periodsOf('windsor-sarnia'))!;
      const changed = await h.catchments
        .as(h.catchments.ministry)
        .query(
          `mutation { setCatchmentPeriodDates(input: { catchmentId: "windsor-sarnia", planningStartDate: "2023-02-01", transitionStartDate: "2023-05-01", iesDeliveryStartDate: "2024-02-01", reason: "Delivery start moved" }) { ok } }`,
        );
      expect(changed.body.data!.setCatchmentPeriodDates.ok).toBe(true);
      const result = await h.catchmentSync.syncAll();
      expect(result).toEqual({ fetched: 15, changed: 1 });
      const after = (await h.periodsOf('windsor-sarnia'))!;
      expect(after.iesDeliveryStartDate).toBe('2024-02-01');
      expect(after.sourceVersion).toBe(before.sourceVersion + 1);
      expect(after.syncedAt.getTime()).toBeGreaterThan(before.syncedAt.getTime());
      // The SSM is now refused on a day that used to be IES delivery.
      const refused = await amendFunding(
        h.ssmOf('windsor-sarnia'),
        network.agreements.find((a) => a.catchmentId === 'windsor-sarnia' && a.status === 'ACTIVE')!._id,
        '2024-01-15',
      );
      expect(refused.body.data!.amendAgreementFunding.error.message).toContain('which ends on 2024-01-31');
    });
  });

  describe('when two syncs run at once after a catchment changed', () => {
    it('keeps exactly one copy per catchment, the newest', async () => {
      const before = (await h.periodsOf('london'))!;
      const changed = await h.catchments
        .as(h.catchments.ministry)
        .query(
          `mutation { saveServiceDeliveryZone(input: { catchmentId: "london", name: "Sync race zone", communities: ["London"], reason: "Two syncs at once" }) { ok catchmentArea { version } } }`,
        );
      const version = changed.body.data!.saveServiceDeliveryZone.catchmentArea.version;
      const results = await Promise.all([h.catchmentSync.syncAll(), h.catchmentSync.syncAll()]);
      expect(results.map((r) => r.fetched)).toEqual([15, 15]);
      const copies = await h.copies.find({}).lean();
      expect(copies).toHaveLength(15);
      expect(new Set(copies.map((c) => c.catchmentId)).size).toBe(15);
      expect(await h.periodsOf('london')).toMatchObject({ sourceVersion: version, ssmId: before.ssmId });
      expect(version).toBeGreaterThan(before.sourceVersion);
    });
  });

  describe('when the ministry reassigns a catchment to another SSM', () => {
    it('lists the contract under the new SSM, not the old one, and keeps who signed it', async () => {
      const reassigned = await h.catchments
        .as(h.catchments.ministry)
        .query(
          `mutation { assignServiceSystemManager(input: { catchmentId: "stratford-bruce-peninsula", serviceSystemManagerId: "fleming-college", reason: "Contract transferred" }) { ok } }`,
        );
      expect(reassigned.body.data!.assignServiceSystemManager.ok).toBe(true);
      await h.catchmentSync.syncAll();
      const { body } = await h.ministry.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceSystemManager { id contracts { id serviceSystemManager { id } signedWithServiceSystemManager { id } } } } }`,
        {
          r: [
            { __typename: 'ServiceSystemManager', id: 'fleming-college' },
            { __typename: 'ServiceSystemManager', id: 'county-of-bruce' },
          ],
        },
      );
      const [fleming, bruce] = body.data!._entities;
      expect(fleming.contracts).toEqual([
        {
          id: 'contract-muskoka-kawarthas',
          serviceSystemManager: { id: 'fleming-college' },
          signedWithServiceSystemManager: { id: 'fleming-college' },
        },
        {
          id: 'contract-stratford-bruce-peninsula',
          serviceSystemManager: { id: 'fleming-college' },
          signedWithServiceSystemManager: { id: 'county-of-bruce' },
        },
      ]);
      expect(bruce.contracts).toEqual([]);
      const filtered = await h.ministry.query(
        `{ old: contracts(filter: { serviceSystemManagerId: "county-of-bruce" }) { edges { node { id } } }
           new: contracts(filter: { serviceSystemManagerId: "fleming-college" }) { edges { node { id } } } }`,
      );
      const ids = (list: { edges: { node: { id: string } }[] }) => list.edges.map((e) => e.node.id);
      expect(ids(filtered.body.data!.old)).toEqual([]);
      expect(ids(filtered.body.data!.new)).toEqual([
        'contract-muskoka-kawarthas',
        'contract-stratford-bruce-peninsula',
      ]);
    });
  });

  describe('when a catchment is in transition today', () => {
    it('refuses its SSM even when the change is stated for a date in IES delivery', async () => {
      const today = todayInOntario();
      const changed = await h.catchments
        .as(h.catchments.ministry)
        .query(
          `mutation($input: SetCatchmentPeriodDatesInput!) { setCatchmentPeriodDates(input: $input) { ok } }`,
          {
            input: {
              catchmentId: 'kingston-pembroke',
              planningStartDate: addMonths(today, -6),
              transitionStartDate: addMonths(today, -1),
              iesDeliveryStartDate: addMonths(today, 2),
              reason: 'Delivery postponed',
            },
          },
        );
      expect(changed.body.data!.setCatchmentPeriodDates.ok).toBe(true);
      await h.catchmentSync.syncAll();
      const agreement = network.agreements.find(
        (a) => a.catchmentId === 'kingston-pembroke' && a.status === 'ACTIVE',
      )!;
      const future = addMonths(today, 3);
      const before = await version(agreement._id);
      const { body } = await amendFunding(h.ssmOf('kingston-pembroke'), agreement._id, future);
      expect(body.data!.amendAgreementFunding.error).toMatchObject({ code: 'RULE_VIOLATION' });
      expect(body.data!.amendAgreementFunding.error.message).toContain(
        `in its transition period on ${today} (today)`,
      );
      expect(await version(agreement._id)).toBe(before);
    });
  });

  describe('when an SSM amends provider funding', () => {
    it('is refused during transition with the period and its end date named, and nothing changes', async () => {
      const before = await version(durhamCurrent._id);
      const { body } = await amendFunding(h.ssmOf('durham'), durhamCurrent._id, '2023-06-01');
      expect(body.data!.amendAgreementFunding).toEqual({
        ok: false,
        agreement: null,
        error: {
          code: 'RULE_VIOLATION',
          message: expect.stringMatching(/transition period on 2023-06-01, which ends on 2023-12-31/),
          field: null,
        },
      });
      expect(await version(durhamCurrent._id)).toBe(before);
    });

    it('is refused during planning too', async () => {
      const { body } = await amendFunding(h.ssmOf('durham'), durhamCurrent._id, '2023-02-01');
      expect(body.data!.amendAgreementFunding.error.message).toContain(
        'planning period on 2023-02-01, which ends on 2023-04-30',
      );
    });

    it('is allowed from the first day of IES delivery and recorded as a numbered amendment', async () => {
      const before = (await h.agreements.findById(durhamCurrent._id).lean())!;
      const { body } = await amendFunding(h.ssmOf('durham'), durhamCurrent._id, '2024-01-01', 99_000_00);
      const result = body.data!.amendAgreementFunding;
      expect(result.error).toBeNull();
      expect(result.agreement).toMatchObject({
        version: before.version + 1,
        funding: { fixed: 99_000_00, performanceBased: 30_000_00, total: 129_000_00 },
      });
      const history = await h
        .ssmOf('durham')
        .query(
          `query($id: ID!) { providerAgreement(id: $id) { amendments { number kind asOf bySubject byRole reason before { funding { fixed performanceBased } targets { label } } after { funding { fixed } } } } }`,
          { id: durhamCurrent._id },
        );
      const amendments = history.body.data!.providerAgreement.amendments;
      expect(amendments).toHaveLength(before.version);
      expect(amendments.at(-1)).toEqual({
        number: before.version,
        kind: 'FUNDING',
        asOf: '2024-01-01',
        bySubject: 'ssm-durham',
        byRole: 'SSM',
        reason: 'Caseload growth in the north of the region',
        before: {
          funding: {
            fixed: before.funding.fixedCents,
            performanceBased: before.funding.performanceCents,
          },
          targets: null,
        },
        after: { funding: { fixed: 99_000_00 } },
      });
    });

    it.each([
      ['amendAgreementFunding', 'AmendAgreementFundingInput', { funding: { fixed: 1, performanceBased: 0 } }],
      ['amendAgreementTargets', 'AmendAgreementTargetsInput', { targets: [] }],
      ['changeAgreementStatus', 'ChangeAgreementStatusInput', { status: 'TERMINATED' }],
    ])(
      'answers %s by an SSM of another catchment exactly as for an unknown id, and nothing changes',
      async (mutation, inputType, fields) => {
        const before = await version(durhamCurrent._id);
        const attempt = (agreementId: string) =>
          h
            .ssmOf('london')
            .query(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${PAYLOAD} } }`, {
              input: {
                agreementId,
                asOf: '2024-06-01',
                reason: 'Out of scope',
                expectedVersion: 999,
                ...fields,
              },
            });
        const unknown = await attempt('agr-no-such-agreement');
        expect(unknown.body.data![mutation].error).toEqual({
          code: 'NOT_FOUND',
          message: 'No provider agreement agr-no-such-agreement',
          field: 'input.agreementId',
        });
        const outOfScope = await attempt(durhamCurrent._id);
        expect(outOfScope.body).toEqual(
          JSON.parse(JSON.stringify(unknown.body).replaceAll('agr-no-such-agreement', durhamCurrent._id)),
        );
        expect(await version(durhamCurrent._id)).toBe(before);
      },
    );

    it('refuses a stale expected version as a CONFLICT', async () => {
      const read = await version(durhamCurrent._id);
      const first = await amendFunding(h.ministry, durhamCurrent._id, '2024-06-01', 2, {
        expectedVersion: read,
      });
      expect(first.body.data!.amendAgreementFunding.ok).toBe(true);
      const { body } = await amendFunding(h.ministry, durhamCurrent._id, '2024-06-01', 1, {
        expectedVersion: read,
      });
      expect(body.data!.amendAgreementFunding.error).toMatchObject({
        code: 'CONFLICT',
        field: 'input.expectedVersion',
      });
    });
  });

  describe('when the ministry amends', () => {
    it('may change provider targets during transition', async () => {
      const agreement = network.agreements.find(
        (a) => a.catchmentId === 'london' && a.kind === 'SSM_AGREEMENT' && a.termStartDate === '2023-04-01',
      )!;
      // An expired agreement is history; use a current one and a transition date.
      const { body } = await h.ministry.query(
        `mutation($input: AmendAgreementTargetsInput!) { amendAgreementTargets(input: $input) { ${PAYLOAD} } }`,
        {
          input: {
            agreementId: londonCurrent._id,
            asOf: '2023-06-01',
            reason: 'Ministry target reset',
            targets: [{ fiscalYear: 2025, quarter: 2, measure: 'EMPLOYMENT_OUTCOMES', value: 42 }],
          },
        },
      );
      expect(body.data!.amendAgreementTargets.error).toBeNull();
      expect(body.data!.amendAgreementTargets.agreement.targets).toEqual([
        { label: '2025-26 Q2', measure: 'EMPLOYMENT_OUTCOMES', value: 42 },
      ]);
      const closed = await amendFunding(h.ministry, agreement._id, '2023-06-01');
      expect(closed.body.data!.amendAgreementFunding.error).toMatchObject({
        code: 'RULE_VIOLATION',
        message: 'A EXPIRED agreement cannot be amended',
      });
    });

    it('amends an SSM contract, which an SSM may not', async () => {
      const input = {
        contractId: 'contract-ottawa',
        funding: { fixed: 40_000_000_00, performanceBased: 10_000_000_00 },
        reason: 'Budget 2025',
        asOf: '2023-06-01',
      };
      const mutation = `mutation($input: AmendContractFundingInput!) { amendContractFunding(input: $input) { ok error { code } contract { version funding { total } } } }`;
      const refused = await h.ssmOf('ottawa').query(mutation, { input });
      expect(refused.body.data!.amendContractFunding).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const { body } = await h.ministry.query(mutation, { input });
      // $50M in cents is beyond 32-bit Int: the Cents scalar carries it exactly.
      expect(body.data!.amendContractFunding).toEqual({
        ok: true,
        error: null,
        contract: { version: 2, funding: { total: 50_000_000_00 } },
      });
      const history = await h
        .ssmOf('ottawa')
        .query(
          `{ contract(id: "contract-ottawa") { amendments { number kind after { funding { total } } } } }`,
        );
      expect(history.body.data!.contract.amendments).toEqual([
        { number: 1, kind: 'FUNDING', after: { funding: { total: 50_000_000_00 } } },
      ]);
    });
  });

  describe("ids outside the caller's scope", () => {
    it.each([
      ['amendContractFunding', 'AmendContractFundingInput', { funding: { fixed: 1, performanceBased: 0 } }],
      ['amendContractTargets', 'AmendContractTargetsInput', { targets: [] }],
    ])('answer %s exactly as an unknown contract id', async (mutation, inputType, fields) => {
      const attempt = (contractId: string) =>
        h
          .ssmOf('london')
          .query(
            `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ok error { code message field } } }`,
            {
              input: { contractId, reason: 'Out of scope', expectedVersion: 999, ...fields },
            },
          );
      const unknown = await attempt('contract-no-such-contract');
      expect(unknown.body.data![mutation].error.code).toBe('FORBIDDEN');
      expect((await attempt('contract-durham')).body).toEqual(
        JSON.parse(JSON.stringify(unknown.body).replaceAll('contract-no-such-contract', 'contract-durham')),
      );
    });
  });

  describe('invalid input', () => {
    it('changes nothing: a quarter outside the term, an empty reason, a fraction of a cent', async () => {
      const agreementId = network.agreements.find((a) => a.catchmentId === 'peel')!._id;
      const before = await version(agreementId);
      const targets = await h.ministry.query(
        `mutation($input: AmendAgreementTargetsInput!) { amendAgreementTargets(input: $input) { ok error { code field message } } }`,
        {
          input: {
            agreementId,
            reason: 'x',
            targets: [{ fiscalYear: 2030, quarter: 1, measure: 'CLIENTS_SERVED', value: 1 }],
          },
        },
      );
      expect(targets.body.data!.amendAgreementTargets.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'input.targets.0.fiscalYear',
        message: expect.stringContaining('2030-31 Q1'),
      });
      const reason = await amendFunding(h.ministry, agreementId, '2024-06-01', 1, { reason: '   ' });
      expect(reason.body.data!.amendAgreementFunding.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'input.reason',
      });
      const fraction = await amendFunding(h.ministry, agreementId, '2024-06-01', 10.5);
      expect(fraction.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await version(agreementId)).toBe(before);
    });

    it.each([
      ['a NUL', 'Rebalance\u0000'],
      ['a terminal escape', '\u001b[2J\u001b[31mRebalance'],
      ['a carriage return', 'Approved\rRejected'],
      ['a bidirectional override', 'Rebalance \u202e'],
    ])('refuses a reason with %s as VALIDATION_FAILED and changes nothing', async (_what, reason) => {
      const agreementId = network.agreements.find((a) => a.catchmentId === 'peel')!._id;
      const before = await version(agreementId);
      const { body } = await amendFunding(h.ministry, agreementId, '2024-06-01', 1, { reason });
      expect(body.data!.amendAgreementFunding).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', field: 'input.reason' },
      });
      expect(await version(agreementId)).toBe(before);
    });

    it('accepts a reason written on several lines', async () => {
      const agreementId = network.agreements.find((a) => a.catchmentId === 'peel')!._id;
      const { body } = await amendFunding(h.ministry, agreementId, '2024-06-01', 2, {
        reason: 'Rebalance:\n\t- caseload up',
      });
      expect(body.data!.amendAgreementFunding.error).toBeNull();
    });

    it('changes nothing for amounts whose total would not be exact, or years out of range', async () => {
      const agreementId = network.agreements.find((a) => a.catchmentId === 'peel')!._id;
      const before = await version(agreementId);
      const huge = await amendFunding(h.ministry, agreementId, '2024-06-01', Number.MAX_SAFE_INTEGER);
      expect(huge.body.data!.amendAgreementFunding.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'input.funding.fixed',
      });
      const farYear = await h.ministry.query(
        `mutation($input: AmendAgreementTargetsInput!) { amendAgreementTargets(input: $input) { ok error { code field } } }`,
        {
          input: {
            agreementId,
            reason: 'x',
            targets: [{ fiscalYear: 99999, quarter: 1, measure: 'CLIENTS_SERVED', value: 1 }],
          },
        },
      );
      expect(farYear.body.data!.amendAgreementTargets.error).toEqual({
        code: 'VALIDATION_FAILED',
        field: 'input.targets.0.fiscalYear',
      });
      expect(await version(agreementId)).toBe(before);
      const read = await h.ministry.query(
        `query($id: ID!) { providerAgreement(id: $id) { funding { total } } }`,
        {
          id: agreementId,
        },
      );
      expect(read.body.errors).toBeUndefined();
    });
  });

  describe('creating an agreement', () => {
    const create = (who: ReturnType<ContractsHarness['as']>, input: Record<string, unknown>) =>
      who.query(
        `mutation($input: CreateProviderAgreementInput!) { createProviderAgreement(input: $input) { ${PAYLOAD} } }`,
        {
          input: {
            catchmentId: 'durham',
            providerId: 'sp-durham-3',
            programIds: ['employment-service', 'ontario-works-employment-assistance'],
            siteIds: ['sp-durham-3-site-1'],
            termStartDate: '2026-04-01',
            termEndDate: '2027-03-31',
            funding: { fixed: 800_000_00, performanceBased: 200_000_00 },
            targets: [{ fiscalYear: 2026, quarter: 1, measure: 'ACTION_PLANS_STARTED', value: 90 }],
            reason: 'Network renewal',
            asOf: '2026-02-01',
            ...input,
          },
        },
      );

    it('lets the SSM create a DRAFT in its catchment during IES delivery, once', async () => {
      const { body } = await create(h.ssmOf('durham'), {});
      expect(body.data!.createProviderAgreement).toMatchObject({
        ok: true,
        agreement: {
          kind: 'SSM_AGREEMENT',
          status: 'DRAFT',
          version: 1,
          catchment: { id: 'durham' },
          sites: [{ id: 'sp-durham-3-site-1', onReserve: false }],
          targets: [{ label: '2026-27 Q1' }],
        },
      });
      const created = await h.agreements
        .findById(body.data!.createProviderAgreement.agreement.id, { createdBy: 1, creationReason: 1 })
        .lean();
      expect(created).toMatchObject({ createdBy: 'ssm-durham', creationReason: 'Network renewal' });
      const again = await create(h.ssmOf('durham'), {});
      expect(again.body.data!.createProviderAgreement.error.code).toBe('CONFLICT');
    });

    it('refuses an SSM agreement in a catchment whose SSM is still to be announced', async () => {
      const count = await h.agreements.countDocuments({});
      const { body } = await create(h.ministry, { catchmentId: 'toronto', asOf: '2026-06-01' });
      expect(body.data!.createProviderAgreement.error).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.kind',
        message: expect.stringContaining('toronto has no service system manager yet (TBA)'),
      });
      expect(await h.agreements.countDocuments({})).toBe(count);
    });

    it('refuses out-of-scope programs with a typed error and inserts nothing', async () => {
      const count = await h.agreements.countDocuments({});
      const { body } = await create(h.ministry, {
        programIds: ['employment-service', 'canada-ontario-job-grant'],
        termStartDate: '2026-05-01',
      });
      expect(body.data!.createProviderAgreement.error).toEqual({
        code: 'RULE_VIOLATION',
        message:
          'Out-of-scope programs stay with the ministry and cannot be put in an SSM agreement: Canada-Ontario Job Grant',
        field: 'input.programIds',
      });
      expect(await h.agreements.countDocuments({})).toBe(count);
    });

    it('refuses an on-reserve site and the SSM during transition', async () => {
      const onReserve = await create(h.ministry, {
        catchmentId: 'london',
        providerId: 'sp-london-indigenous',
        siteIds: ['sp-london-indigenous-site-2'],
      });
      expect(onReserve.body.data!.createProviderAgreement.error).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'input.siteIds',
      });
      const early = await create(h.ssmOf('durham'), {
        asOf: '2023-09-01',
        termStartDate: '2024-04-01',
        termEndDate: '2025-03-31',
        targets: [],
      });
      expect(early.body.data!.createProviderAgreement.error.message).toContain(
        'transition period on 2023-09-01, which ends on 2023-12-31',
      );
    });
  });

  describe('who sees what', () => {
    it('shows a provider only its own agreements, in lists and lookups', async () => {
      const mine = network.agreements.filter((a) => a.providerId === 'sp-london-1');
      const { body } = await h
        .provider('sp-london-1')
        .query(
          `{ providerAgreements(first: 100) { totalCount edges { node { id provider { id } funding { total } } } } }`,
        );
      expect(body.data!.providerAgreements.totalCount).toBe(mine.length);
      expect(
        body.data!.providerAgreements.edges.every((e: any) => e.node.provider.id === 'sp-london-1'),
      ).toBe(true);
      expect(body.errors).toBeUndefined();
      const other = await h
        .provider('sp-london-1')
        .query(`query($id: ID!) { providerAgreement(id: $id) { id } }`, { id: durhamCurrent._id });
      expect(other.body.data!.providerAgreement).toBeNull();
      const entity = await h
        .provider('sp-london-1')
        .query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on ProviderAgreement { id } } }`, {
          r: [
            { __typename: 'ProviderAgreement', id: durhamCurrent._id },
            { __typename: 'ProviderAgreement', id: mine[0]!._id },
          ],
        });
      expect(entity.body.data!._entities).toEqual([null, { id: mine[0]!._id }]);
    });

    it('shows an SSM the agreements of its own catchments only, and funding of its own contract only', async () => {
      const { body } = await h
        .ssmOf('london')
        .query(
          `{ providerAgreements(first: 100) { totalCount edges { node { catchment { id } } } } contracts(first: 100) { totalCount edges { node { catchment { id } funding { total } } } } }`,
        );
      expect(new Set(body.data!.providerAgreements.edges.map((e: any) => e.node.catchment.id))).toEqual(
        new Set(['london']),
      );
      expect(body.data!.contracts.totalCount).toBe(12);
      const withFunding = body.data!.contracts.edges.filter((e: any) => e.node.funding !== null);
      expect(withFunding.map((e: any) => e.node.catchment.id)).toEqual(['london']);
      expect(body.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    });

    it.each(['PUBLIC', 'PARTNER'] as const)(
      'gives %s contracts without funding figures, and no provider agreements',
      async (role) => {
        const who = h.as(principalOf(role, { partnerId: role === 'PARTNER' ? 'partner-1' : null }));
        const { body } = await who.query(
          `query($id: ID!) { providerAgreement(id: $id) { id } providerAgreements(first: 100) { totalCount } contract(id: "contract-peel") { id targets { value } funding { total } } }`,
          { id: londonCurrent._id },
        );
        expect(body.data!.providerAgreement).toBeNull();
        expect(body.data!.providerAgreements.totalCount).toBe(0);
        expect(body.data!.contract).toMatchObject({ id: 'contract-peel', funding: null });
        expect(body.data!.contract.targets.length).toBeGreaterThan(0);
        expect(body.errors!.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
          ['FORBIDDEN', 'contract.funding'],
        ]);
        const history = await who.query(`{ contract(id: "contract-peel") { amendments { number } } }`);
        expect(history.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      },
    );
  });

  describe('lists', () => {
    it('pages through a catchment’s agreements exactly once with cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const { body }: any = await h.ministry.query(
          `query($after: String) { providerAgreements(first: 3, after: $after, filter: { catchmentId: "london" }) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        seen.push(...body.data.providerAgreements.edges.map((e: any) => e.node.id));
        after = body.data.providerAgreements.pageInfo.endCursor;
        if (!body.data.providerAgreements.pageInfo.hasNextPage) break;
      }
      expect(seen).toHaveLength(network.agreements.filter((a) => a.catchmentId === 'london').length);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(seen);
    });
  });

  describe('entity resolution', () => {
    it('resolves N agreements with their providers and programs in one batch of lookups per type', async () => {
      const representations = network.agreements
        .slice(0, 12)
        .map((a) => ({ __typename: 'ProviderAgreement', id: a._id }));
      h.commands.reset();
      const { body } = await h.ministry.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ProviderAgreement { id provider { organizationName } programs { name } sites { id } } } }`,
        { r: representations },
      );
      expect(body.data!._entities.map((e: any) => e.id)).toEqual(representations.map((r) => r.id));
      expect(body.data!._entities.every((e: any) => e.provider.organizationName.length > 0)).toBe(true);
      // One batch per type: one `$in` on MongoDB, one indexed lookup per distinct id on FerretDB.
      const agreements = network.agreements.slice(0, 12);
      const distinct = (ids: string[]) => new Set(ids).size;
      expect(h.commands.count('find', 'provider_agreements')).toBe(await lookupsFor(h.models.agreements, 12));
      expect(h.commands.count('find', 'service_providers')).toBe(
        await lookupsFor(h.models.providers, distinct(agreements.map((a) => a.providerId))),
      );
      expect(h.commands.count('find', 'programs')).toBe(
        await lookupsFor(h.models.programs, distinct(agreements.flatMap((a) => a.programIds))),
      );
    });

    it('does not read again a provider or agreement the request already loaded', async () => {
      h.commands.reset();
      const { body } = await h.ministry.query(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on CatchmentArea {
          providers { id } agreements { id provider { organizationName } } } } }`,
        { r: [{ __typename: 'CatchmentArea', id: 'durham' }] },
      );
      const [durham] = body.data!._entities;
      expect(durham.agreements.length).toBeGreaterThan(0);
      expect(durham.agreements.every((a: any) => a.provider.organizationName.length > 0)).toBe(true);
      // The catchment's providers, read once; each agreement's provider is one of them.
      expect(h.commands.count('find', 'service_providers')).toBe(1);
      expect(h.commands.count('find', 'provider_agreements')).toBe(1);
    });

    it('extends N catchments and SSMs with their contracts and networks in one batch of lookups per type', async () => {
      const catchments = ['durham', 'london', 'ottawa', 'peel', 'toronto'].map((id) => ({
        __typename: 'CatchmentArea',
        id,
      }));
      const managers = ['serco-canada', 'fedcap-canada'].map((id) => ({
        __typename: 'ServiceSystemManager',
        id,
      }));
      h.commands.reset();
      const { body } = await h.ministry.query(
        `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on CatchmentArea { id contract { id } providers { id } agreements(status: ACTIVE) { id } }
          ... on ServiceSystemManager { id contracts { catchment { id } } } } }`,
        { r: [...catchments, ...managers] },
      );
      const [durham, , , , toronto, serco] = body.data!._entities;
      expect(durham.contract).toEqual({ id: 'contract-durham' });
      expect(durham.providers.length).toBe(
        network.providers.filter((p) => p.catchmentIds.includes('durham')).length,
      );
      expect(durham.agreements.length).toBeGreaterThan(0);
      expect(toronto).toEqual({ id: 'toronto', contract: null, providers: [], agreements: [] });
      expect(serco.contracts.map((c: any) => c.catchment.id)).toEqual([
        'kingston-pembroke',
        'kitchener-waterloo-barrie',
      ]);
      // Contracts by catchment (5), then by the 4 catchments the two SSMs manage now.
      expect(h.commands.count('find', 'contracts')).toBe(
        (await lookupsFor(h.models.contracts, 5)) + (await lookupsFor(h.models.contracts, 4)),
      );
      expect(h.commands.count('find', 'service_providers')).toBe(await lookupsFor(h.models.providers, 5));
      expect(h.commands.count('find', 'provider_agreements')).toBe(await lookupsFor(h.models.agreements, 5));
    });
  });
});
