import { Kind } from 'graphql';
import { principalOf } from '@ies/testkit';
import {
  MAX_AGREEMENT_PROGRAMS,
  MAX_AGREEMENT_SITES,
  phase2TransitionArrangement,
  refuseAmendingClosed,
  validateAgreementPrograms,
  validateAgreementListSizes,
  validateAgreementSites,
  validateStatusChange,
} from '../src/agreement/agreement-rules';
import { periodEndDate, periodOn, type PeriodDates } from '@ies/calendar';
import { refuseNetworkChange } from '../src/catchment-period/network-change-gate';
import {
  agreementReadScope,
  canSeeAgreementFunding,
  canSeeContractFunding,
  refuseAgreementChange,
} from '../src/common/access';
import { amendmentOf } from '../src/common/amendment';
import { CentsScalar } from '../src/common/cents';
import { validateFunding, validateTargets, validateTerm } from '../src/common/terms';
import { PROGRAMS } from '../src/program/program-catalogue';
import type { SiteDoc } from '../src/service-provider/service-provider.model';

const DURHAM: PeriodDates = {
  planningStartDate: '2023-02-01',
  transitionStartDate: '2023-05-01',
  iesDeliveryStartDate: '2024-01-01',
};
const TBA: PeriodDates = { planningStartDate: null, transitionStartDate: null, iesDeliveryStartDate: null };
const ssm = principalOf('SSM', { catchmentIds: ['durham'] });
const ministry = principalOf('MINISTRY');

describe('The network change gate', () => {
  describe('for an SSM on the exact boundary dates of a Phase 2 catchment', () => {
    it.each([
      ['2023-01-31', 'NOT_STARTED'],
      ['2023-02-01', 'PLANNING'],
      ['2023-04-30', 'PLANNING'],
      ['2023-05-01', 'TRANSITION'],
      ['2023-12-31', 'TRANSITION'],
      ['2024-01-01', 'IES_DELIVERY'],
    ])('on %s the catchment is in %s', (asOf, period) => {
      expect(periodOn(DURHAM, asOf)).toBe(period);
      expect(refuseNetworkChange(ssm, 'durham', DURHAM, asOf, asOf) === null).toBe(period === 'IES_DELIVERY');
    });

    it('names the planning period and the day before transition starts', () => {
      expect(refuseNetworkChange(ssm, 'durham', DURHAM, '2023-04-30', '2023-04-30')).toEqual({
        code: 'RULE_VIOLATION',
        message:
          'Catchment durham is in its planning period on 2023-04-30, which ends on 2023-04-30: an SSM may not change the funding, targets or agreements of its provider network before IES delivery starts',
        field: null,
      });
    });

    it('names the transition period and 31 December as its end', () => {
      const error = refuseNetworkChange(ssm, 'durham', DURHAM, '2023-12-31', '2023-12-31');
      expect(error?.message).toContain('is in its transition period on 2023-12-31, which ends on 2023-12-31');
    });

    it('says when the end of the period is not yet announced', () => {
      const error = refuseNetworkChange(
        ssm,
        'durham',
        { ...DURHAM, iesDeliveryStartDate: null },
        '2024-06-01',
        '2024-06-01',
      );
      expect(error?.message).toContain('whose end date is not yet announced');
      expect(periodEndDate({ ...DURHAM, transitionStartDate: null }, 'PLANNING')).toBe('2023-12-31');
    });

    it('cannot be lifted by stating a future date: today counts too', () => {
      const error = refuseNetworkChange(ssm, 'durham', DURHAM, '2024-06-01', '2023-06-01');
      expect(error?.message).toContain(
        'is in its transition period on 2023-06-01 (today), which ends on 2023-12-31',
      );
      expect(refuseNetworkChange(ssm, 'durham', DURHAM, '2024-06-01', '2024-01-01')).toBeNull();
    });

    it('refuses an SSM before planning has started, and in a TBA catchment', () => {
      expect(refuseNetworkChange(ssm, 'durham', DURHAM, '2022-12-01', '2022-12-01')?.message).toContain(
        'not yet in planning on 2022-12-01, which ends on 2023-01-31',
      );
      expect(refuseNetworkChange(ssm, 'toronto', TBA, '2025-01-01', '2025-01-01')?.code).toBe(
        'RULE_VIOLATION',
      );
    });
  });

  it('never gates the ministry', () => {
    for (const asOf of ['2023-02-01', '2023-06-01', '2023-12-31'])
      expect(refuseNetworkChange(ministry, 'durham', DURHAM, asOf, asOf)).toBeNull();
  });
});

describe('Scope', () => {
  it('lets an SSM act only in its own catchments', () => {
    expect(refuseAgreementChange(ssm, 'durham', 'amend funding')).toBeNull();
    expect(refuseAgreementChange(ssm, 'london', 'amend funding')).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('london'),
    });
    expect(
      refuseAgreementChange(principalOf('PROVIDER', { providerIds: ['p'] }), 'durham', 'amend funding')?.code,
    ).toBe('FORBIDDEN');
  });

  it('limits reads by query filter and funding visibility by role', () => {
    expect(agreementReadScope(ssm)).toEqual({ catchmentId: { $in: ['durham'] } });
    expect(agreementReadScope(principalOf('PROVIDER', { providerIds: ['sp-1'] }))).toEqual({
      providerId: { $in: ['sp-1'] },
    });
    expect(agreementReadScope(principalOf('PUBLIC'))).toEqual({ _id: { $in: [] } });
    expect(agreementReadScope(principalOf('MINISTRY'))).toEqual({});
    const agreement = { catchmentId: 'durham', providerId: 'sp-1' };
    expect(canSeeAgreementFunding(ssm, agreement)).toBe(true);
    expect(canSeeAgreementFunding(principalOf('PROVIDER', { providerIds: ['sp-1'] }), agreement)).toBe(true);
    expect(canSeeAgreementFunding(principalOf('PARTNER', { partnerId: 'x' }), agreement)).toBe(false);
    expect(canSeeAgreementFunding(principalOf('PUBLIC'), agreement)).toBe(false);
    expect(canSeeContractFunding(principalOf('PROVIDER', { providerIds: ['sp-1'] }), agreement)).toBe(false);
  });
});

describe('Agreement programs', () => {
  const ids = (...names: string[]) => names;

  it('refuses out-of-scope programs in an SSM agreement, naming them', () => {
    const error = validateAgreementPrograms(
      'SSM_AGREEMENT',
      ids('employment-service', 'apprenticeship', 'literacy-and-basic-skills'),
      PROGRAMS,
      DURHAM,
      '2024-04-01',
    );
    expect(error).toMatchObject({ code: 'RULE_VIOLATION', field: 'input.programIds' });
    expect(error?.message).toContain('Apprenticeship, Literacy and Basic Skills');
  });

  it('lets the ministry keep an out-of-scope program in its own transfer-payment contract', () => {
    expect(
      validateAgreementPrograms(
        'MINISTRY_TRANSFER_PAYMENT',
        ids('canada-ontario-job-grant'),
        PROGRAMS,
        DURHAM,
        '2023-01-01',
      ),
    ).toBeNull();
  });

  it('allows Ontario Works Employment Assistance only for terms from IES delivery', () => {
    const owea = ids('ontario-works-employment-assistance');
    expect(validateAgreementPrograms('SSM_AGREEMENT', owea, PROGRAMS, DURHAM, '2023-12-31')?.code).toBe(
      'RULE_VIOLATION',
    );
    expect(validateAgreementPrograms('SSM_AGREEMENT', owea, PROGRAMS, DURHAM, '2024-01-01')).toBeNull();
  });

  it('refuses unknown and missing programs as validation failures', () => {
    expect(
      validateAgreementPrograms('SSM_AGREEMENT', ids('no-such'), PROGRAMS, DURHAM, '2024-04-01')?.code,
    ).toBe('VALIDATION_FAILED');
    expect(validateAgreementPrograms('SSM_AGREEMENT', [], PROGRAMS, DURHAM, '2024-04-01')?.code).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('Agreement sites', () => {
  const site = (id: string, extra: Partial<SiteDoc> = {}): SiteDoc => ({
    id,
    name: id,
    address: 'a',
    community: 'c',
    catchmentId: 'durham',
    insideCatchment: true,
    onReserve: false,
    ...extra,
  });
  const sites = [
    site('s1'),
    site('s2', { catchmentId: 'york' }),
    site('s3', { onReserve: true }),
    site('s4', { insideCatchment: false }),
  ];

  it('accepts the provider’s own sites serving the catchment, inside or outside it', () => {
    expect(validateAgreementSites(sites, ['s1', 's4'], 'durham')).toBeNull();
  });

  it('refuses another provider’s site, another catchment’s site and on-reserve sites', () => {
    expect(validateAgreementSites(sites, ['s9'], 'durham')?.message).toContain('not a site of this provider');
    expect(validateAgreementSites(sites, ['s2'], 'durham')?.message).toContain('serves catchment york');
    expect(validateAgreementSites(sites, ['s3'], 'durham')).toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('on-reserve'),
    });
  });

  it('decides the Phase 2 transition arrangement from where the sites lie', () => {
    expect(
      phase2TransitionArrangement(
        [site('s1'), site('s3', { onReserve: true, insideCatchment: false })],
        'durham',
      ),
    ).toEqual({
      kind: 'MINISTRY_TRANSFER_PAYMENT',
      termStartDate: null,
      termEndDate: '2023-04-30',
    });
    expect(
      phase2TransitionArrangement([site('s1'), site('s4', { insideCatchment: false })], 'durham'),
    ).toEqual({
      kind: 'SSM_AGREEMENT',
      termStartDate: '2023-04-01',
      termEndDate: '2024-03-31',
    });
  });
});

describe('Agreement status', () => {
  it('follows DRAFT → ACTIVE → TERMINATED/EXPIRED, expiring only after the term', () => {
    expect(validateStatusChange('DRAFT', 'ACTIVE', '2024-01-01', '2025-03-31', '2024-01-01')).toBeNull();
    expect(validateStatusChange('ACTIVE', 'EXPIRED', '2025-03-31', '2025-03-31', '2025-03-31')?.code).toBe(
      'RULE_VIOLATION',
    );
    expect(validateStatusChange('ACTIVE', 'EXPIRED', '2025-04-01', '2025-03-31', '2025-04-01')).toBeNull();
    expect(
      validateStatusChange('TERMINATED', 'ACTIVE', '2024-01-01', '2025-03-31', '2024-01-01')?.message,
    ).toBe('An agreement cannot go from TERMINATED to ACTIVE');
    expect(validateStatusChange('ACTIVE', 'EXPIRED', '2025-04-01', '2025-03-31', '2025-02-01')?.message).toBe(
      "The agreement's term runs until 2025-03-31; it cannot expire on 2025-02-01",
    );
    expect(refuseAmendingClosed('EXPIRED')?.code).toBe('RULE_VIOLATION');
    expect(refuseAmendingClosed('ACTIVE')).toBeNull();
  });
});

describe('Targets per fiscal quarter', () => {
  const term = { startDate: '2023-04-01', endDate: '2024-03-31' };
  it('accept the quarters of the term, from 1 April to 31 March', () => {
    expect(
      validateTargets(
        [
          { fiscalYear: 2023, quarter: 1, measure: 'CLIENTS_SERVED', value: 10 },
          { fiscalYear: 2023, quarter: 4, measure: 'CLIENTS_SERVED', value: 0 },
        ],
        term,
      ),
    ).toBeNull();
  });
  it('refuse a quarter outside the term, naming it by its fiscal label', () => {
    expect(
      validateTargets([{ fiscalYear: 2024, quarter: 1, measure: 'CLIENTS_SERVED', value: 1 }], term)?.message,
    ).toBe('2024-25 Q1 is outside the term 2023-04-01 – 2024-03-31');
    expect(
      validateTargets([{ fiscalYear: 2022, quarter: 4, measure: 'CLIENTS_SERVED', value: 1 }], term)?.field,
    ).toBe('input.targets.0.fiscalYear');
  });
  it('refuse quarter 5, negative values and duplicates', () => {
    expect(
      validateTargets([{ fiscalYear: 2023, quarter: 5, measure: 'CLIENTS_SERVED', value: 1 }], term)?.field,
    ).toBe('input.targets.0.quarter');
    expect(
      validateTargets([{ fiscalYear: 2023, quarter: 2, measure: 'CLIENTS_SERVED', value: -1 }], term)?.field,
    ).toBe('input.targets.0.value');
    const twice = { fiscalYear: 2023, quarter: 2, measure: 'CLIENTS_SERVED' as const, value: 1 };
    expect(validateTargets([twice, twice], term)?.field).toBe('input.targets.1');
  });
});

describe('Amendments', () => {
  it('are the change-log records after the creation: number, who, when, why and both sides', () => {
    const at = new Date('2024-02-01T15:00:00Z');
    const record = {
      _id: 'ProviderAgreement:agr-1:4',
      subject: 'ProviderAgreement:agr-1',
      subjectType: 'ProviderAgreement',
      subjectId: 'agr-1',
      version: 4,
      kind: 'FUNDING',
      at,
      asOf: '2024-02-01',
      bySubject: 'analyst-7',
      byRole: 'MINISTRY',
      reason: 'Caseload growth',
      before: { funding: { fixedCents: 1, performanceCents: 2 } },
      after: { funding: { fixedCents: 3, performanceCents: 4 } },
      state: {},
      events: [],
      projected: true,
      published: false,
    };
    expect(amendmentOf(record)).toEqual({
      number: 3,
      kind: 'FUNDING',
      at,
      asOf: '2024-02-01',
      bySubject: 'analyst-7',
      byRole: 'MINISTRY',
      reason: 'Caseload growth',
      before: { funding: { fixedCents: 1, performanceCents: 2 } },
      after: { funding: { fixedCents: 3, performanceCents: 4 } },
    });
  });
});

describe('The Cents scalar', () => {
  it('carries integer cents beyond 32 bits and refuses fractions, negatives and strings', () => {
    expect(CentsScalar.parseValue(9_000_000_000)).toBe(9_000_000_000);
    expect(CentsScalar.parseLiteral({ kind: Kind.INT, value: '9000000000' })).toBe(9_000_000_000);
    expect(() => CentsScalar.parseValue(10.5)).toThrow('whole number of cents');
    expect(() => CentsScalar.parseValue(-1)).toThrow();
    expect(() => CentsScalar.parseValue('100')).toThrow();
    expect(CentsScalar.serialize(123)).toBe(123);
  });
});

describe('Terms and funding', () => {
  it('keep terms within the fiscal years the platform plans for, and at most five years long', () => {
    expect(validateTerm('2025-04-01', '2026-03-31')).toBeNull();
    expect(validateTerm('0100-04-01', '2026-03-31')).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'input.startDate',
    });
    expect(validateTerm('2025-04-01', '9999-03-31')).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'input.endDate',
    });
    expect(validateTerm('2025-04-01', '2031-04-01')?.message).toBe('A term is at most five years long');
  });

  it('keep each funding part to whole cents up to $10 billion, so totals stay exact', () => {
    expect(validateFunding({ fixedCents: 100_000_00, performanceCents: 25_000_00 })).toBeNull();
    expect(validateFunding({ fixedCents: Number.MAX_SAFE_INTEGER, performanceCents: 1 })?.field).toBe(
      'input.funding.fixed',
    );
    expect(validateFunding({ fixedCents: 1, performanceCents: -1 })?.field).toBe(
      'input.funding.performanceBased',
    );
  });
});

describe('Agreement list sizes', () => {
  it('refuse more programs or sites than any agreement lists, before anything is read', () => {
    expect(validateAgreementListSizes(['employment-service'], ['site-1'])).toBeNull();
    expect(validateAgreementListSizes(Array(MAX_AGREEMENT_PROGRAMS + 1).fill('p'), ['s'])).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'input.programIds',
    });
    expect(validateAgreementListSizes(['p'], Array(MAX_AGREEMENT_SITES + 1).fill('s'))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'input.siteIds',
    });
  });
});
