import { randomBytes } from 'node:crypto';
import type { Principal } from '@ies/auth';
import type { ChangeLog } from '@ies/change-log';
import { findWhereIn } from '@ies/db';
import {
  findPageById,
  forbidden,
  mutationError,
  validateReason,
  type Connection,
  type MutationError,
  type PageArgs,
} from '@ies/subgraph-kit';
import {
  canSeeClientData,
  clientDataScope,
  refuseClientDataRole,
  refuseServingOutsideScope,
} from '../common/access';
import { unknownProvider, type ProviderDirectory } from '../provider-directory/provider-directory';
import { validateClientDetails, type ClientDetailsInput } from './client-input';
import type { ClientDoc, ClientModel } from './client.model';

export interface ClientPayload {
  ok: boolean;
  client: ClientDoc | null;
  error: MutationError | null;
}

export interface RegisterClientInput extends ClientDetailsInput {
  camsReference: string;
  catchmentId: string;
  providerId: string;
  reason: string;
}

export interface UpdateClientInput extends Partial<Omit<ClientDetailsInput, 'birthDate'>> {
  clientId: string;
  birthDate?: string | null;
  reason: string;
  expectedVersion?: number | null;
}

const failed = (error: MutationError): ClientPayload => ({ ok: false, client: null, error });

/** A random id: it says nothing about the person (the CaMS reference is personal information). */
export const newClientId = () => `cl-${randomBytes(10).toString('hex')}`;

/**
 * Reads and changes clients. Every read carries the caller's scope (clientDataScope): a provider
 * reads the clients it serves, an SSM its catchments', the ministry all; other roles read none and
 * may never list or search. Every change is a record of the service's change log.
 */
export class ClientService {
  constructor(
    private readonly clients: ClientModel,
    private readonly log: ChangeLog<ClientDoc>,
    private readonly directory: ProviderDirectory,
  ) {}

  /** Clients by id within the caller's scope (out of scope and unknown look the same: absent). */
  async findByIds(principal: Principal, ids: readonly string[]): Promise<ClientDoc[]> {
    const scope = clientDataScope(principal);
    if (scope === null) return [];
    const found = await findWhereIn<ClientDoc>(this.clients, '_id', ids, { where: scope });
    return (await this.log.overlay(found)).filter((c) => canSeeClientData(principal, c));
  }

  /** Unscoped, for the service's own rules (never returned to a caller as is). */
  async findByIdsUnscoped(ids: readonly string[]): Promise<ClientDoc[]> {
    return this.log.findByIds(ids);
  }

  async findByCamsReferences(principal: Principal, references: readonly string[]): Promise<ClientDoc[]> {
    const scope = clientDataScope(principal);
    if (scope === null) return [];
    const found = await findWhereIn<ClientDoc>(this.clients, 'camsReference', references, { where: scope });
    return (await this.log.overlay(found)).filter((c) => canSeeClientData(principal, c));
  }

  /** Unscoped lookup by CaMS reference (the batch import's idempotency key). */
  async findByCamsReferencesUnscoped(references: readonly string[]): Promise<ClientDoc[]> {
    return this.log.overlay(await findWhereIn<ClientDoc>(this.clients, 'camsReference', references));
  }

  async list(
    principal: Principal,
    filter: { catchmentId?: string | null; providerId?: string | null },
    page: PageArgs,
  ): Promise<Connection<ClientDoc>> {
    const scope = clientDataScope(principal);
    if (scope === null) {
      throw forbidden(
        `Clients are listed only to their serving provider, SSM or the ministry; caller is ${principal.role}`,
      );
    }
    const query: Record<string, unknown>[] = [scope];
    if (filter.catchmentId) query.push({ catchmentId: filter.catchmentId });
    if (filter.providerId) query.push({ providerId: filter.providerId });
    return this.log.overlayPage(await findPageById(this.clients, query, page));
  }

  /** How many clients a catchment serves now (the base of the concurrent-jobs cap). */
  countInCatchment(catchmentId: string): Promise<number> {
    return this.clients.countDocuments({ catchmentId }).exec();
  }

  async register(principal: Principal, input: RegisterClientInput): Promise<ClientPayload> {
    const early =
      refuseClientDataRole(principal, 'register clients') ??
      validateReason(input.reason) ??
      refuseServingOutsideScope(principal, input) ??
      validateClientDetails(input, 'input') ??
      validateCamsClientReference(input.camsReference, 'input.camsReference') ??
      (await this.refuseProviderOutsideCatchment(input.providerId, input.catchmentId));
    if (early) return failed(early);
    const created = await this.log.create(
      principal,
      {
        _id: newClientId(),
        camsReference: input.camsReference.trim(),
        givenName: input.givenName.trim(),
        familyName: input.familyName.trim(),
        birthDate: input.birthDate,
        contact: normalizedContact(input.contact),
        equity: equityOf(input.equity),
        catchmentId: input.catchmentId,
        providerId: input.providerId,
        createdAt: new Date(),
        createdBy: principal.subject,
      },
      {
        kind: 'CREATE',
        reason: input.reason,
        events: [
          {
            type: 'ClientRegistered',
            catchmentId: input.catchmentId,
            data: { providerId: input.providerId },
          },
        ],
      },
    );
    if (created.status === 'duplicate') {
      return failed(
        mutationError(
          'CONFLICT',
          `A client with this CaMS reference is already registered`,
          'input.camsReference',
        ),
      );
    }
    return { ok: true, client: created.state, error: null };
  }

  async update(principal: Principal, input: UpdateClientInput): Promise<ClientPayload> {
    const early = refuseClientDataRole(principal, 'change client details') ?? validateReason(input.reason);
    if (early) return failed(early);
    const notFound = mutationError('NOT_FOUND', `No client ${input.clientId}`, 'input.clientId');
    const outcome = await this.log.change<MutationError>(principal, input.clientId, input, (client) => {
      if (!canSeeClientData(principal, client)) return { refused: notFound };
      const next = {
        givenName: input.givenName ?? client.givenName,
        familyName: input.familyName ?? client.familyName,
        birthDate: input.birthDate ?? client.birthDate,
        contact: input.contact === undefined ? client.contact : normalizedContact(input.contact),
        equity: input.equity ? { ...client.equity, ...equityOf(input.equity, client.equity) } : client.equity,
      };
      const invalid = validateClientDetails(next, 'input');
      if (invalid) return { refused: invalid };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
        (key) => JSON.stringify(next[key]) !== JSON.stringify(client[key]),
      );
      if (changed.length === 0) {
        return { refused: mutationError('VALIDATION_FAILED', 'The update changes nothing', 'input') };
      }
      const pick = (source: Record<string, unknown>) =>
        Object.fromEntries(changed.map((key) => [key, source[key]]));
      return {
        kind: 'DETAILS',
        // Personal values stay in the record's state only; the audit names the fields changed.
        before: { fields: changed },
        after: { fields: changed },
        set: pick(next) as Partial<ClientDoc>,
        events: [{ type: 'ClientUpdated', catchmentId: client.catchmentId, data: { fields: changed } }],
      };
    });
    switch (outcome.status) {
      case 'applied':
        return { ok: true, client: outcome.state, error: null };
      case 'refused':
        return failed(outcome.refusal);
      case 'not-found':
        return failed(notFound);
      case 'conflict':
        return failed(
          mutationError(
            'CONFLICT',
            `Client ${input.clientId} changed concurrently (now version ${outcome.version}); re-read and retry`,
            typeof input.expectedVersion === 'number' ? 'input.expectedVersion' : undefined,
          ),
        );
    }
  }

  /** Moves a client to the catchment and provider of a plan starting elsewhere (a change record). */
  async serveBy(
    principal: Principal,
    client: ClientDoc,
    target: { catchmentId: string; providerId: string },
    reason: string,
  ): Promise<ClientDoc | MutationError> {
    if (client.catchmentId === target.catchmentId && client.providerId === target.providerId) return client;
    const outcome = await this.log.change<MutationError>(
      principal,
      client._id,
      { reason, expectedVersion: client.version },
      () => ({
        kind: 'SERVING',
        before: { catchmentId: client.catchmentId, providerId: client.providerId },
        after: target,
        set: target,
        events: [{ type: 'ClientServingChanged', catchmentId: target.catchmentId, data: target }],
      }),
    );
    if (outcome.status === 'applied') return outcome.state;
    return mutationError('CONFLICT', `Client ${client._id} changed concurrently; re-read and retry`);
  }

  async refuseProviderOutsideCatchment(
    providerId: string,
    catchmentId: string,
    field = 'input.providerId',
  ): Promise<MutationError | null> {
    const provider = (await this.directory.providers([providerId])).get(providerId);
    if (!provider) return unknownProvider(this.directory, providerId, field);
    return provider.sites.some((s) => s.catchmentId === catchmentId)
      ? null
      : mutationError(
          'RULE_VIOLATION',
          `Provider ${providerId} has no site serving catchment ${catchmentId}`,
          field,
        );
  }
}

const CAMS_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function validateCamsClientReference(value: string, field: string): MutationError | null {
  return CAMS_REFERENCE.test(value)
    ? null
    : mutationError(
        'VALIDATION_FAILED',
        'A CaMS reference is 1–64 letters, digits, "-" or "_", starting with a letter or digit',
        field,
      );
}

function normalizedContact(
  contact: { email?: string | null; phone?: string | null } | null | undefined,
): ClientDoc['contact'] {
  if (!contact) return null;
  const email = contact.email?.trim() || null;
  const phone = contact.phone?.trim() || null;
  return email || phone ? { email, phone } : null;
}

function equityOf(
  equity: Partial<ClientDoc['equity']> | null | undefined,
  base: ClientDoc['equity'] = {
    indigenous: null,
    francophone: null,
    disability: null,
    newcomer: null,
    racialized: null,
  },
): ClientDoc['equity'] {
  return {
    indigenous: equity?.indigenous === undefined ? base.indigenous : equity.indigenous,
    francophone: equity?.francophone === undefined ? base.francophone : equity.francophone,
    disability: equity?.disability === undefined ? base.disability : equity.disability,
    newcomer: equity?.newcomer === undefined ? base.newcomer : equity.newcomer,
    racialized: equity?.racialized === undefined ? base.racialized : equity.racialized,
  };
}

export { equityOf, normalizedContact };
