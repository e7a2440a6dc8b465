import type { Principal } from '@ies/auth';
import { addMonths, fiscalQuarterOf, isIsoDate, todayInOntario } from '@ies/calendar';
import { findWhereIn, insertNew } from '@ies/db';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import type { ActionPlanDoc, CheckpointName, EvidenceKind } from '../action-plan/action-plan.model';
import type {
  ActionPlanPayload,
  ActionPlanService,
  PlanChangeInput,
} from '../action-plan/action-plan.service';
import { planEvent } from '../action-plan/action-plan.service';
import { checkpointMonths } from '../action-plan/plan-view';
import type { ClientService } from '../client/client.service';
import { assessPlanCheckpoint } from './plan-outcome';
import type { OutcomeConfig } from './outcome-config';
import { concurrentJobsCap } from './funded-outcome';
import type { OutcomeSlotDoc, OutcomeSlotModel } from './outcome-slot.model';

export interface VerifyCheckpointInput extends PlanChangeInput {
  checkpoint: CheckpointName;
  verifiedOn: string;
  employed: boolean;
  evidence: EvidenceKind;
  attestationPreApproved: boolean;
}

/**
 * Verifies employment checkpoints (1, 3, 6 and 12 months after the plan's first job start) and
 * decides, by the funded-outcome rule, whether each is a funded outcome. An outcome that counts only
 * through concurrent jobs takes a place under the catchment's cap for that checkpoint and fiscal
 * quarter (a unique insert), so simultaneous verifications never exceed it.
 */
export class CheckpointService {
  constructor(
    private readonly plans: ActionPlanService,
    private readonly clients: ClientService,
    private readonly slots: OutcomeSlotModel,
    private readonly config: OutcomeConfig,
  ) {}

  async verify(principal: Principal, input: VerifyCheckpointInput): Promise<ActionPlanPayload> {
    // An attestation counts only with the SSM's pre-approval: a provider cannot grant it to itself.
    if (input.attestationPreApproved && principal.role !== 'SSM' && principal.role !== 'MINISTRY') {
      return {
        ok: false,
        actionPlan: null,
        error: mutationError(
          'FORBIDDEN',
          "Only the catchment's SSM or the ministry records an attestation's pre-approval",
          'input.attestationPreApproved',
        ),
      };
    }
    if (!isIsoDate(input.verifiedOn) || input.verifiedOn > todayInOntario()) {
      return {
        ok: false,
        actionPlan: null,
        error: mutationError(
          'VALIDATION_FAILED',
          'verifiedOn must be a date, not in the future',
          'input.verifiedOn',
        ),
      };
    }
    let takenSlot: string | null = null;
    // The version the caller read is checked before a place is taken, so a stale call takes none.
    if (typeof input.expectedVersion === 'number') {
      const [current] = await this.plans.findByIds(principal, [input.planId]);
      if (current && current.version !== input.expectedVersion) {
        return {
          ok: false,
          actionPlan: null,
          error: mutationError(
            'CONFLICT',
            `Action plan ${input.planId} is at version ${current.version}, not ${input.expectedVersion}; re-read and retry`,
            'input.expectedVersion',
          ),
        };
      }
    }
    const payload = await this.plans.change(
      principal,
      input,
      'verify employment checkpoints',
      async (plan) => {
        const refusal = refuseCheckpoint(plan, input);
        if (refusal) return refusal;
        const dueOn = checkpointDueOn(plan, input.checkpoint)!;
        let verdict = assessPlanCheckpoint(plan, { ...input, dueOn }, this.config);
        if (verdict.funded && verdict.usesConcurrentJobs) {
          const slot = await this.takeCapSlot(plan, input.checkpoint, dueOn);
          takenSlot = slot?.inserted ? slot.id : null;
          if (!slot) {
            verdict = { funded: false, reasons: ['CONCURRENT_JOBS_CAP_REACHED'], usesConcurrentJobs: true };
          }
        }
        const checkpoint = {
          checkpoint: input.checkpoint,
          verifiedOn: input.verifiedOn,
          employed: input.employed,
          evidence: input.evidence,
          attestationPreApproved: input.attestationPreApproved,
          fundedOutcome: verdict.funded,
          outcomeReasons: verdict.reasons,
          usesConcurrentJobs: verdict.usesConcurrentJobs,
          verifiedBy: principal.subject,
        };
        return {
          kind: 'CHECKPOINT',
          before: null,
          after: { checkpoint },
          set: { checkpoints: [...plan.checkpoints, checkpoint] },
          events: verdict.funded
            ? [planEvent('FundedOutcomeVerified', plan, { checkpoint: input.checkpoint })]
            : [planEvent('CheckpointVerified', plan, { checkpoint: input.checkpoint, funded: false })],
        };
      },
      // Outcomes are followed up after a plan closes (the 12-month check usually falls after it).
      { allowClosed: true },
    );
    // A place this call took for a change that did not land goes back (never one it found).
    if (!payload.ok && takenSlot) await this.slots.deleteOne({ _id: takenSlot });
    return payload;
  }

  /**
   * Takes a free place under the cap (any of 1…cap not taken), or null when the cap is reached. A
   * place the plan holds already is reused. Returns the place and whether this call inserted it (only
   * such a place is given back when the change does not land).
   */
  private async takeCapSlot(
    plan: ActionPlanDoc,
    checkpoint: CheckpointName,
    dueOn: string,
  ): Promise<{ id: string; inserted: boolean } | null> {
    const quarter = fiscalQuarterOf(dueOn);
    const capKey = `${plan.catchmentId}:${checkpoint}:${quarter.fiscalYear}Q${quarter.quarter}`;
    const cap = concurrentJobsCap(await this.clients.countInCatchment(plan.catchmentId), this.config, dueOn);
    const taken = await findWhereIn<OutcomeSlotDoc>(this.slots, 'capKey', [capKey]);
    const own = taken.find((slot) => slot.planId === plan._id);
    if (own) return { id: own._id, inserted: false };
    const used = new Set(taken.map((slot) => slot._id));
    for (let n = 1; n <= cap; n++) {
      const id = `${capKey}:${n}`;
      if (used.has(id)) continue;
      const slot = { _id: id, capKey, planId: plan._id, takenAt: new Date() };
      if ((await insertNew(this.slots, slot)) === 'inserted') return { id, inserted: true };
    }
    return null;
  }
}

/** The date a checkpoint falls on: the plan's first job start plus 1, 3, 6 or 12 months. */
export function checkpointDueOn(
  plan: Pick<ActionPlanDoc, 'jobs'>,
  checkpoint: CheckpointName,
): string | null {
  const first = [...plan.jobs].sort((a, b) => a.startedOn.localeCompare(b.startedOn))[0];
  return first ? addMonths(first.startedOn, checkpointMonths(checkpoint)) : null;
}

function refuseCheckpoint(plan: ActionPlanDoc, input: VerifyCheckpointInput): MutationError | null {
  const dueOn = checkpointDueOn(plan, input.checkpoint);
  if (!dueOn) {
    return mutationError(
      'RULE_VIOLATION',
      'Record the client’s job before verifying its checkpoints',
      'input.checkpoint',
    );
  }
  if (input.verifiedOn < dueOn) {
    return mutationError(
      'RULE_VIOLATION',
      `The ${input.checkpoint} checkpoint falls on ${dueOn}; it cannot be verified before`,
      'input.verifiedOn',
    );
  }
  if (plan.checkpoints.some((c) => c.checkpoint === input.checkpoint)) {
    return mutationError(
      'CONFLICT',
      `The ${input.checkpoint} checkpoint is verified already`,
      'input.checkpoint',
    );
  }
  return null;
}
