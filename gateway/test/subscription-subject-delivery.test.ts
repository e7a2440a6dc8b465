import type { Principal } from '@ies/auth';
import { internalServerError } from '@ies/errors';
import { subjectOutcome, type SubjectAnswer } from '../src/subscriptions/subject-delivery';
import type { PlatformEvent } from '../src/subscriptions/platform-event';

const principal = (role: Principal['role'], scope: Partial<Principal> = {}): Principal => ({
  subject: `${role.toLowerCase()}-1`,
  role,
  catchmentIds: [],
  providerIds: [],
  partnerId: null,
  ...scope,
});

const ministry = principal('MINISTRY');
const ssm = principal('SSM', { catchmentIds: ['peel'] });
const partner = principal('PARTNER', { partnerId: 'partner-1', catchmentIds: ['peel'] });

const registered: PlatformEvent = {
  id: 'evt-registered-1',
  type: 'ClientRegistered',
  occurredAt: '2026-12-01T12:00:00.000Z',
  catchmentId: 'peel',
  subject: { typename: 'Client', id: 'client-1' },
  data: { providerId: 'sp-peel-1' },
  version: 1,
  service: 'clients',
};

/** What the gateway answers for the subject while the clients service is down. */
const outage: SubjectAnswer = {
  data: { client: null },
  errors: [
    {
      message: 'The clients service is unavailable',
      path: ['client'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'clients' },
    },
  ],
};
/** What a read that threw becomes (subscribeTo's catch). */
const crashed: SubjectAnswer = { data: null, errors: [internalServerError().toJSON()] };

describe('What becomes of an event once its subject was read', () => {
  describe('when the read failed (a service down, or the read threw)', () => {
    it.each([
      ['a service down', outage],
      ['a read that threw', crashed],
    ])('drops it for a partner and an SSM (%s): they learn nothing of it', (_why, answer) => {
      expect(subjectOutcome(partner, registered, answer, ['client'])).toEqual({ drop: 'read-failed' });
      expect(subjectOutcome(ssm, registered, answer, ['client'])).toEqual({ drop: 'read-failed' });
      expect(
        subjectOutcome(principal('PROVIDER', { providerIds: ['sp-peel-1'] }), registered, answer, ['client']),
      ).toEqual({
        drop: 'read-failed',
      });
    });

    it.each([
      ['a service down', outage],
      ['a read that threw', crashed],
    ])('sends the ministry the envelope with the error (%s)', (_why, answer) => {
      expect(subjectOutcome(ministry, registered, answer, ['client'])).toEqual({
        deliver: { event: registered, entities: answer.data ?? {}, errors: answer.errors },
      });
    });
  });

  describe('when the subject came back', () => {
    it('sends it to whoever read it, with the errors of the fields that failed', () => {
      const partial: SubjectAnswer = {
        data: { client: { id: 'client-1', catchment: null } },
        errors: [
          { message: 'down', path: ['client', 'catchment'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
        ],
      };
      expect(subjectOutcome(ssm, registered, partial, ['client'])).toEqual({
        deliver: { event: registered, entities: partial.data, errors: partial.errors },
      });
    });
  });

  describe('when the subject is null or refused for the subscriber', () => {
    it('drops it for everyone, the ministry too', () => {
      const refused: SubjectAnswer = {
        data: { client: null },
        errors: [{ message: 'no', path: ['client'], extensions: { code: 'FORBIDDEN' } }],
      };
      for (const who of [partner, ssm, ministry]) {
        expect(subjectOutcome(who, registered, { data: { client: null } }, ['client'])).toEqual({
          drop: 'not-readable',
        });
        expect(subjectOutcome(who, registered, refused, ['client'])).toEqual({ drop: 'not-readable' });
      }
    });
  });
});
