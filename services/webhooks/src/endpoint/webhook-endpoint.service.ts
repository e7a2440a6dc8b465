import { randomUUID } from 'node:crypto';
import type { Principal } from '@ies/auth';
import type { ChangeLog, ChangeOutcome, EventDraft } from '@ies/change-log';
import {
  badUserInput,
  conflict,
  findPageById,
  hasForbiddenCharacters,
  notFound,
  type Connection as Page,
  type PageArgs,
} from '@ies/subgraph-kit';
import { checkTarget, type OutboundPolicy, type Resolver } from '../outbound/outbound-policy';
import {
  assertManagesEndpoints,
  canSeeEndpoint,
  checkFilter,
  endpointReadScope,
  filterBounds,
} from './endpoint-access';
import { newSigningSecret, type SecretBox } from './signing-secret';
import type { SealedSecret, WebhookEndpointDoc, WebhookEndpointModel } from './webhook-endpoint.model';

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  catchmentIds?: string[] | null;
  description?: string | null;
  /** The ministry registers for a partner; ignored (the caller's own) for a partner. */
  partnerId?: string | null;
}

export interface EndpointChangeInput {
  url?: string | null;
  eventTypes?: string[] | null;
  catchmentIds?: string[] | null;
  description?: string | null;
  expectedVersion?: number | null;
}

/** A mutation's answer that shows a secret: the one and only time it is readable. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpointDoc;
  signingSecret: string;
}

export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_OVERLAP_HOURS = 24 * 7;

/** Why an endpoint is disabled, as the delivery worker records it. */
export type DisableCause =
  { by: 'caller'; reason: string } | { by: 'gone'; status: number } | { by: 'exhausted'; attempts: number };

const SYSTEM_ACTOR = { subject: 'webhooks-worker', role: 'SYSTEM' };

const disabledEvent = (endpoint: WebhookEndpointDoc, reason: string): EventDraft => ({
  type: 'WebhookEndpointDisabled',
  catchmentId: null,
  data: { endpointId: endpoint._id, partnerId: endpoint.partnerId, reason },
});

/** The secrets that sign at `now`: the current one and those still in a rotation's overlap. */
export const signingSecretsAt = (secrets: readonly SealedSecret[], now: Date): SealedSecret[] =>
  secrets.filter((s) => s.expiresAt === null || new Date(s.expiresAt).getTime() > now.getTime());

function validateDescription(description: string | null | undefined): string {
  const text = (description ?? '').trim();
  if (text.length > MAX_DESCRIPTION_LENGTH)
    throw badUserInput(
      `The description is at most ${MAX_DESCRIPTION_LENGTH} characters`,
      'input.description',
    );
  if (hasForbiddenCharacters(text, 'text'))
    throw badUserInput(
      'The description must not contain control characters or bidirectional overrides',
      'input.description',
    );
  return text;
}

/**
 * Partner webhook endpoints: registration, changes and secret rotation, each a change-log record
 * (docs/adr/0010, 0019). Refusals are GraphQL errors: BAD_USER_INPUT (with `field`), FORBIDDEN,
 * NOT_FOUND, CONFLICT.
 */
export class WebhookEndpointService {
  constructor(
    private readonly deps: {
      endpoints: WebhookEndpointModel;
      log: ChangeLog<WebhookEndpointDoc>;
      secrets: SecretBox;
      outbound: OutboundPolicy;
      resolve?: Resolver;
    },
  ) {}

  private async checkUrl(url: string, field: string): Promise<string> {
    const checked = await checkTarget(url.trim(), this.deps.outbound, this.deps.resolve);
    if (!checked.ok) throw badUserInput(checked.reason, field);
    return checked.target.url.toString();
  }

  /** An endpoint the caller may see, or NOT_FOUND (another partner's answers as an unknown id). */
  async visible(principal: Principal, id: string): Promise<WebhookEndpointDoc> {
    assertManagesEndpoints(principal);
    const endpoint = await this.deps.log.latest(id);
    if (!endpoint || !canSeeEndpoint(principal, endpoint)) throw notFound(`No webhook endpoint ${id}`);
    return endpoint;
  }

  async find(principal: Principal, id: string): Promise<WebhookEndpointDoc | null> {
    assertManagesEndpoints(principal);
    const endpoint = await this.deps.log.latest(id);
    return endpoint && canSeeEndpoint(principal, endpoint) ? endpoint : null;
  }

  async page(principal: Principal, page: PageArgs): Promise<Page<WebhookEndpointDoc>> {
    const scope = endpointReadScope(principal);
    return this.deps.log.overlayPage(await findPageById(this.deps.endpoints, [scope], page));
  }

  async register(principal: Principal, input: EndpointInput): Promise<EndpointWithSecret> {
    assertManagesEndpoints(principal);
    const partnerId = principal.role === 'PARTNER' ? principal.partnerId : (input.partnerId ?? null);
    if (partnerId !== null && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(partnerId))
      throw badUserInput('partnerId is not a partner id', 'input.partnerId');
    const filter = checkFilter(input, filterBounds(principal, partnerId));
    if (!filter.ok) throw badUserInput(filter.message, filter.field);
    const description = validateDescription(input.description);
    const url = await this.checkUrl(input.url, 'input.url');
    const id = randomUUID();
    const signingSecret = newSigningSecret();
    const now = new Date();
    const created = await this.deps.log.create(
      principal,
      {
        _id: id,
        partnerId,
        url,
        eventTypes: filter.eventTypes,
        catchmentIds: filter.catchmentIds,
        description,
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        secrets: [{ sealed: this.deps.secrets.seal(signingSecret, id), createdAt: now, expiresAt: null }],
        createdAt: now,
        createdBy: principal.subject,
      },
      { kind: 'REGISTER', reason: 'Webhook endpoint registered' },
    );
    if (created.status !== 'created') throw conflict('The endpoint id is taken; try again');
    return { endpoint: created.state, signingSecret };
  }

  async update(principal: Principal, id: string, input: EndpointChangeInput): Promise<WebhookEndpointDoc> {
    const current = await this.visible(principal, id);
    const filter = checkFilter(
      {
        eventTypes: input.eventTypes ?? current.eventTypes,
        catchmentIds: input.catchmentIds === undefined ? current.catchmentIds : input.catchmentIds,
      },
      filterBounds(principal, current.partnerId),
      // Types the caller sends must be the platform's; kept ones are not checked again, so an endpoint
      // registered before the catalogue with a type it lacks can still change its URL or description.
      { knownTypesOnly: input.eventTypes !== undefined && input.eventTypes !== null },
    );
    if (!filter.ok) throw badUserInput(filter.message, filter.field);
    const description =
      input.description === undefined || input.description === null
        ? current.description
        : validateDescription(input.description);
    // Only an absent (or null) url keeps the current one: an empty one is refused like any bad URL.
    const url =
      input.url === undefined || input.url === null
        ? current.url
        : await this.checkUrl(input.url, 'input.url');
    const set = { url, eventTypes: filter.eventTypes, catchmentIds: filter.catchmentIds, description };
    return this.applied(
      await this.deps.log.change(
        principal,
        id,
        { reason: 'Webhook endpoint updated', expectedVersion: input.expectedVersion },
        (now) => ({
          kind: 'UPDATE',
          before: {
            url: now.url,
            eventTypes: now.eventTypes,
            catchmentIds: now.catchmentIds,
            description: now.description,
          },
          after: set,
          set,
        }),
      ),
      id,
    );
  }

  async setEnabled(
    principal: Principal,
    id: string,
    enabled: boolean,
    options: { reason?: string | null; expectedVersion?: number | null } = {},
  ): Promise<WebhookEndpointDoc> {
    const current = await this.visible(principal, id);
    if (enabled) await this.checkUrl(current.url, 'id');
    const reason = (options.reason ?? '').trim() || (enabled ? 'Enabled' : 'Disabled');
    if (reason.length > 500 || hasForbiddenCharacters(reason, 'text'))
      throw badUserInput('The reason is at most 500 characters of plain text', 'reason');
    return this.applied(
      await this.deps.log.change(
        principal,
        id,
        { reason, expectedVersion: options.expectedVersion },
        (now) => (enabled ? this.enabling(now) : this.disabling(now, reason)),
      ),
      id,
    );
  }

  private enabling(now: WebhookEndpointDoc) {
    const set = { enabled: true, disabledReason: null, disabledAt: null };
    return {
      kind: 'ENABLE',
      before: { enabled: now.enabled, disabledReason: now.disabledReason },
      after: set,
      set,
    };
  }

  private disabling(now: WebhookEndpointDoc, reason: string) {
    const set = { enabled: false, disabledReason: reason, disabledAt: new Date() };
    return {
      kind: 'DISABLE',
      before: { enabled: now.enabled, disabledReason: now.disabledReason },
      after: { enabled: false, disabledReason: reason },
      set,
      events: now.enabled ? [disabledEvent(now, reason)] : [],
    };
  }

  /**
   * A new secret, shown once; the secrets signing until now keep signing for `overlapHours` (0: stop
   * at once), so a partner can deploy the new one with no delivery it cannot verify. Of simultaneous
   * rotations exactly one wins each version; the others are CONFLICT and their secrets never sign.
   */
  async rotateSecret(
    principal: Principal,
    id: string,
    options: { overlapHours: number; expectedVersion?: number | null },
  ): Promise<EndpointWithSecret & { previousSecretsExpireAt: Date }> {
    if (
      !Number.isInteger(options.overlapHours) ||
      options.overlapHours < 0 ||
      options.overlapHours > MAX_OVERLAP_HOURS
    )
      throw badUserInput(`overlapHours is 0–${MAX_OVERLAP_HOURS}`, 'overlapHours');
    await this.visible(principal, id);
    const signingSecret = newSigningSecret();
    const at = new Date();
    const previousSecretsExpireAt = new Date(at.getTime() + options.overlapHours * 3_600_000);
    const endpoint = this.applied(
      await this.deps.log.change(
        principal,
        id,
        { reason: 'Signing secret rotated', expectedVersion: options.expectedVersion },
        (now) => {
          const kept = signingSecretsAt(now.secrets, at).map((s) => ({
            ...s,
            expiresAt:
              s.expiresAt && new Date(s.expiresAt) < previousSecretsExpireAt
                ? s.expiresAt
                : previousSecretsExpireAt,
          }));
          const secrets = [
            ...kept,
            { sealed: this.deps.secrets.seal(signingSecret, id), createdAt: at, expiresAt: null },
          ];
          return {
            kind: 'ROTATE_SECRET',
            before: { secrets: now.secrets.length },
            after: { secrets: secrets.length, previousSecretsExpireAt },
            set: { secrets },
          };
        },
      ),
      id,
    );
    return { endpoint, signingSecret, previousSecretsExpireAt };
  }

  /** The delivery worker disables an endpoint (410 Gone, or the retry schedule exhausted). */
  async disableBySystem(id: string, cause: DisableCause): Promise<void> {
    const reason =
      cause.by === 'gone'
        ? `The endpoint answered ${cause.status} Gone`
        : cause.by === 'exhausted'
          ? `Every one of ${cause.attempts} delivery attempts failed`
          : cause.reason;
    for (let attempt = 0; attempt < 5; attempt++) {
      // Already disabled (by a caller, or by another attempt): nothing to record.
      const outcome = await this.deps.log.change<'already-disabled'>(SYSTEM_ACTOR, id, { reason }, (now) =>
        now.enabled ? this.disabling(now, reason) : { refused: 'already-disabled' },
      );
      if (outcome.status !== 'conflict') return;
    }
  }

  /** The plain secrets that sign at `at` (the delivery worker's only way to read them). */
  openSigningSecrets(endpoint: WebhookEndpointDoc, at: Date): string[] {
    return signingSecretsAt(endpoint.secrets, at).map((s) => this.deps.secrets.open(s.sealed, endpoint._id));
  }

  private applied(outcome: ChangeOutcome<WebhookEndpointDoc, never>, id: string): WebhookEndpointDoc {
    switch (outcome.status) {
      case 'applied':
        return outcome.state;
      case 'not-found':
        throw notFound(`No webhook endpoint ${id}`);
      case 'conflict':
        throw conflict(
          `The endpoint changed concurrently (now version ${outcome.version}); re-read and retry`,
        );
      default:
        throw conflict('The change was refused');
    }
  }
}
