import type { Principal } from '@ies/auth';
import type { ChangeLog } from '@ies/change-log';
import { isIsoDate, todayInOntario, type IsoDate } from '@ies/calendar';
import { findWhereIn } from '@ies/db';
import { mutationError, validateReason, type MutationError } from '@ies/subgraph-kit';
import { refuseSlaPolicyChange } from '../common/access';
import type { PeriodsSource } from '../common/periods-source';
import { saveSubject } from '../common/save-subject';
import { DEFAULT_SLA_POLICY, validateSlaPolicyVersion, type SlaPolicyVersion } from '../dispute/dispute-sla';
import type { SlaPolicyDoc, SlaPolicyModel, SlaPolicyVersionDoc } from './sla-policy.model';

/** A policy version as the API shows it; the defaults have no date, author or reason. */
export interface SlaPolicyVersionView {
  effectiveFrom: IsoDate | null;
  acknowledgeWithinBusinessDays: number;
  resolveWithinBusinessDays: number;
  setAt: Date | null;
  reason: string | null;
}

export interface SetSlaPolicyInput {
  serviceSystemManagerId: string;
  acknowledgeWithinBusinessDays: number;
  resolveWithinBusinessDays: number;
  effectiveFrom: IsoDate;
  reason: string;
  expectedVersion?: number | null;
}

export interface SlaPolicyPayload {
  ok: boolean;
  policy: SlaPolicyDoc | null;
  error: MutationError | null;
}

const failed = (error: MutationError): SlaPolicyPayload => ({ ok: false, policy: null, error });

/** An SSM without a policy of its own: the defaults, version 0. */
export const defaultPolicyOf = (ssmId: string): SlaPolicyDoc => ({ _id: ssmId, versions: [], version: 0 });

/** The version in force on `asOf`, with where it came from (the defaults when none has started). */
export function policyInForce(policy: SlaPolicyDoc, asOf: IsoDate): SlaPolicyVersionView {
  const started = policy.versions.filter((v) => v.effectiveFrom <= asOf);
  const source = started.reduce<SlaPolicyVersionDoc | null>(
    (latest, v) => (latest === null || v.effectiveFrom >= latest.effectiveFrom ? v : latest),
    null,
  );
  return source
    ? versionView(source)
    : { ...DEFAULT_SLA_POLICY, effectiveFrom: null, setAt: null, reason: null };
}

export const versionView = (v: SlaPolicyVersionDoc): SlaPolicyVersionView => ({
  effectiveFrom: v.effectiveFrom,
  acknowledgeWithinBusinessDays: v.acknowledgeWithinBusinessDays,
  resolveWithinBusinessDays: v.resolveWithinBusinessDays,
  setAt: v.setAt,
  reason: v.reason,
});

/**
 * Each SSM's dispute SLA policy, as versions with effective dates (dispute-sla.ts decides which one a
 * dispute opens under; the due dates are then fixed on the dispute, so a new version never rewrites
 * a clock already running).
 */
export class SlaPolicyService {
  constructor(
    private readonly policies: SlaPolicyModel,
    private readonly log: ChangeLog<SlaPolicyDoc>,
    private readonly periods: PeriodsSource,
  ) {}

  /** The policies of these SSMs; an SSM without one gets the defaults (version 0). */
  async findBySsmIds(ssmIds: readonly string[]): Promise<SlaPolicyDoc[]> {
    const found = await this.log.overlay(
      await findWhereIn<SlaPolicyDoc>(this.policies, '_id', ssmIds),
      ssmIds,
    );
    const byId = new Map(found.map((p) => [p._id, p]));
    return ssmIds.map((id) => byId.get(id) ?? defaultPolicyOf(id));
  }

  /** The versions a dispute of this SSM opens under (empty: the defaults). */
  async versionsOf(ssmId: string): Promise<SlaPolicyVersion[]> {
    const [policy] = await this.findBySsmIds([ssmId]);
    return policy!.versions;
  }

  async set(principal: Principal, input: SetSlaPolicyInput): Promise<SlaPolicyPayload> {
    const early =
      (principal.role === 'MINISTRY' || principal.role === 'SSM'
        ? null
        : refuseSlaPolicyChange(principal, input.serviceSystemManagerId, [])) ??
      validateReason(input.reason) ??
      (isIsoDate(input.effectiveFrom)
        ? null
        : mutationError('VALIDATION_FAILED', 'Not a calendar date', 'input.effectiveFrom'));
    if (early) return failed(early);
    const ssmId = input.serviceSystemManagerId;
    const managed = (await this.periods.catchmentsManagedBy([ssmId])).get(ssmId) ?? [];
    if (managed.length === 0) {
      return failed(
        mutationError(
          'NOT_FOUND',
          `No service system manager ${ssmId} manages a catchment`,
          'input.serviceSystemManagerId',
        ),
      );
    }
    const version: SlaPolicyVersion = {
      effectiveFrom: input.effectiveFrom,
      acknowledgeWithinBusinessDays: input.acknowledgeWithinBusinessDays,
      resolveWithinBusinessDays: input.resolveWithinBusinessDays,
    };
    const refusal =
      refuseSlaPolicyChange(principal, ssmId, managed) ?? validateSlaPolicyVersion(version, todayInOntario());
    if (refusal) return failed(refusal);
    const added: SlaPolicyVersionDoc = {
      ...version,
      setAt: new Date(),
      setBy: principal.subject,
      reason: input.reason.trim(),
    };
    const event = { type: 'DisputeSlaPolicySet', catchmentId: null, data: { ssmId, ...version } };
    const saved = await saveSubject({
      log: this.log,
      by: principal,
      id: ssmId,
      label: 'Dispute SLA policy of',
      input: { reason: input.reason, asOf: input.effectiveFrom, expectedVersion: input.expectedVersion },
      create: () => ({ state: { _id: ssmId, versions: [added] }, kind: 'SET', events: [event] }),
      plan: (current) => ({
        kind: 'SET',
        before: null,
        after: { version },
        set: { versions: [...current.versions, added] },
        events: [event],
      }),
    });
    return saved.ok ? { ok: true, policy: saved.state, error: null } : failed(saved.error);
  }
}
