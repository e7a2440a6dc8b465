import type { Principal } from '@ies/auth';
import { PUBLIC_PRINCIPAL } from '@ies/auth';
import { PARTNER_EVENT_TYPES } from '@ies/events';
import {
  catchmentsOutOfScope,
  eventTypesOutOfScope,
  mayHear,
  maySubscribe,
} from '../src/subscriptions/event-scope';
import { eventMatches } from '../src/subscriptions/event-filter';
import { topicNamed } from '../src/subscriptions/event-topics';
import type { PlatformEvent } from '../src/subscriptions/platform-event';

const principal = (role: Principal['role'], scope: Partial<Principal> = {}): Principal => ({
  subject: `${role.toLowerCase()}-1`,
  role,
  catchmentIds: [],
  providerIds: [],
  partnerId: null,
  ...scope,
});

const event = (overrides: Partial<PlatformEvent> = {}): PlatformEvent => ({
  id: 'e-1',
  type: 'DisputeStatusChanged',
  occurredAt: '2025-06-01T12:00:00.000Z',
  catchmentId: 'durham',
  subject: { typename: 'Dispute', id: 'd-1' },
  data: { providerId: 'sp-durham-1', from: 'OPENED', to: 'ESCALATED' },
  version: 2,
  service: 'disputes',
  ...overrides,
});

describe('Who hears an event', () => {
  describe('when the subscriber is the ministry', () => {
    it('hears every event, those about subjects the gateway cannot look up too', () => {
      const ministry = principal('MINISTRY');
      expect(mayHear(ministry, event())).toBe(true);
      expect(
        mayHear(ministry, event({ catchmentId: null, subject: { typename: 'DisputeSlaPolicy', id: 'p' } })),
      ).toBe(true);
    });
  });

  describe('when the subscriber is an SSM', () => {
    const ssm = principal('SSM', { catchmentIds: ['durham', 'york'] });
    it('hears the events of its catchments', () => {
      expect(mayHear(ssm, event())).toBe(true);
      expect(mayHear(ssm, event({ catchmentId: 'york' }))).toBe(true);
    });
    it("never hears another catchment's, nor province-wide ones", () => {
      expect(mayHear(ssm, event({ catchmentId: 'london' }))).toBe(false);
      expect(mayHear(ssm, event({ catchmentId: null }))).toBe(false);
    });
    it('never hears events about subjects the gateway cannot look up', () => {
      expect(mayHear(ssm, event({ subject: { typename: 'DisputeCategory', id: 'c' } }))).toBe(false);
    });
  });

  describe('when the subscriber is a provider', () => {
    const provider = principal('PROVIDER', { providerIds: ['sp-durham-1'] });
    it('hears the events that name one of its providers', () => {
      expect(mayHear(provider, event())).toBe(true);
    });
    it("never hears another provider's, nor events that name no provider", () => {
      expect(mayHear(provider, event({ data: { providerId: 'sp-durham-2' } }))).toBe(false);
      expect(mayHear(provider, event({ data: {} }))).toBe(false);
    });
  });

  describe('when the subscriber is a partner', () => {
    const partner = principal('PARTNER', { partnerId: 'partner-1', catchmentIds: ['peel'] });
    const periodsChanged = (catchmentId: string | null) =>
      event({
        type: 'CatchmentPeriodsChanged',
        catchmentId,
        subject: { typename: 'CatchmentArea', id: 'c' },
      });

    it('hears the partner event types of the catchments its token names, and no other catchment', () => {
      expect(mayHear(partner, periodsChanged('peel'))).toBe(true);
      expect(mayHear(partner, periodsChanged('durham'))).toBe(false);
      expect(mayHear(partner, periodsChanged(null))).toBe(false);
    });

    it('never hears a type outside the partner event types, even one about a subject it may read', () => {
      const amended = event({
        type: 'ContractAmended',
        catchmentId: 'peel',
        subject: { typename: 'Contract', id: 'ct-peel' },
        data: {},
      });
      expect(mayHear(partner, amended)).toBe(false);
      for (const type of [
        'DisputeStatusChanged',
        'ClientRegistered',
        'ActionPlanStarted',
        'AgreementAmended',
      ]) {
        expect(mayHear(partner, event({ type, catchmentId: 'peel' }))).toBe(false);
      }
    });

    it('hears the same types as a partner webhook endpoint: those of @ies/events', () => {
      expect(PARTNER_EVENT_TYPES).toContain('ContractCreated');
      expect(PARTNER_EVENT_TYPES).not.toContain('ContractAmended');
      expect(
        mayHear(
          partner,
          event({
            type: 'ContractCreated',
            catchmentId: 'peel',
            subject: { typename: 'Contract', id: 'ct' },
          }),
        ),
      ).toBe(true);
    });

    it('hears every catchment, and province-wide events, when its token names none (as its webhooks do)', () => {
      const provinceWide = principal('PARTNER', { partnerId: 'partner-2' });
      expect(mayHear(provinceWide, periodsChanged('durham'))).toBe(true);
      expect(mayHear(provinceWide, periodsChanged('peel'))).toBe(true);
      expect(mayHear(provinceWide, periodsChanged(null))).toBe(true);
      expect(mayHear(provinceWide, event({ type: 'DisputeOpened', catchmentId: 'durham' }))).toBe(false);
    });
  });

  describe('when the caller has no token', () => {
    it('may not subscribe and hears nothing', () => {
      expect(maySubscribe(PUBLIC_PRINCIPAL)).toBe(false);
      expect(mayHear(PUBLIC_PRINCIPAL, event())).toBe(false);
    });
  });

  describe('when a subscription names catchments', () => {
    it("refuses an SSM's or a partner's catchments outside its token, and nobody else's", () => {
      expect(catchmentsOutOfScope(principal('SSM', { catchmentIds: ['york'] }), ['york', 'peel'])).toEqual([
        'peel',
      ]);
      expect(catchmentsOutOfScope(principal('SSM', { catchmentIds: [] }), ['peel'])).toEqual(['peel']);
      expect(
        catchmentsOutOfScope(principal('PARTNER', { catchmentIds: ['york'] }), ['york', 'peel']),
      ).toEqual(['peel']);
      // A partner token naming no catchments is province-wide.
      expect(catchmentsOutOfScope(principal('PARTNER', { catchmentIds: [] }), ['peel'])).toEqual([]);
      expect(catchmentsOutOfScope(principal('MINISTRY'), ['peel'])).toEqual([]);
      expect(catchmentsOutOfScope(principal('PROVIDER', { providerIds: ['sp-peel-1'] }), ['peel'])).toEqual(
        [],
      );
    });
  });
});

describe('Which event types a subscription may name', () => {
  it("refuses a partner the types outside the partner event types, and nobody else's", () => {
    const partner = principal('PARTNER', { partnerId: 'partner-1' });
    expect(eventTypesOutOfScope(partner, ['ContractCreated', 'ContractAmended', 'DisputeOpened'])).toEqual([
      'ContractAmended',
      'DisputeOpened',
    ]);
    expect(eventTypesOutOfScope(partner, topicNamed('catchmentPeriodsChanged')!.types)).toEqual([]);
    expect(eventTypesOutOfScope(partner, topicNamed('contractAmended')!.types)).toEqual(['ContractAmended']);
    expect(eventTypesOutOfScope(principal('SSM', { catchmentIds: ['peel'] }), ['ContractAmended'])).toEqual(
      [],
    );
    expect(eventTypesOutOfScope(principal('MINISTRY'), ['ContractAmended'])).toEqual([]);
    // Subjects the gateway cannot look up are the ministry's only (mayHear): a partner's
    // DisputeProcessPublished arrives by webhook, not by subscription.
    const ministryOnly = ['DisputeProcessPublished', 'DisputeCategoryAdded', 'WebhookEndpointDisabled'];
    expect(eventTypesOutOfScope(partner, ministryOnly)).toEqual(ministryOnly);
    expect(eventTypesOutOfScope(principal('SSM', { catchmentIds: ['peel'] }), ministryOnly)).toEqual(
      ministryOnly,
    );
    expect(eventTypesOutOfScope(principal('MINISTRY'), ministryOnly)).toEqual([]);
  });
});

describe('Which events a subscription carries', () => {
  it('carries a dispute escalation under disputeEscalated once, not the status change beside it', () => {
    const escalated = topicNamed('disputeEscalated')!;
    expect(escalated.matches(event({ type: 'DisputeEscalated' }))).toBe(true);
    expect(escalated.matches(event({ type: 'DisputeStatusChanged' }))).toBe(false);
    expect(escalated.matches(event({ type: 'DisputeResolved' }))).toBe(false);
  });

  it('carries a funded outcome under checkpointVerified and fundedOutcomeVerified', () => {
    const funded = event({
      type: 'FundedOutcomeVerified',
      subject: { typename: 'EmploymentActionPlan', id: 'ap' },
    });
    expect(topicNamed('checkpointVerified')!.matches(funded)).toBe(true);
    expect(topicNamed('fundedOutcomeVerified')!.matches(funded)).toBe(true);
    expect(topicNamed('fundedOutcomeVerified')!.matches({ ...funded, type: 'CheckpointVerified' })).toBe(
      false,
    );
  });

  it('filters by the types and catchments a subscription names', () => {
    expect(eventMatches({ types: ['DisputeStatusChanged'], catchmentIds: ['durham'] }, event())).toBe(true);
    expect(eventMatches({ types: ['AgreementAmended'], catchmentIds: null }, event())).toBe(false);
    expect(eventMatches({ types: null, catchmentIds: ['york'] }, event())).toBe(false);
    expect(eventMatches({ types: null, catchmentIds: ['york'] }, event({ catchmentId: null }))).toBe(false);
    expect(eventMatches({ types: null, catchmentIds: null }, event({ catchmentId: null }))).toBe(true);
  });
});
