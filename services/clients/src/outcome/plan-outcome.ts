import type { ActionPlanDoc, CheckpointName, EvidenceKind } from '../action-plan/action-plan.model';
import { assessFundedOutcome } from './funded-outcome';
import type { OutcomeConfig } from './outcome-config';

export interface PlanCheckpointInput {
  checkpoint: CheckpointName;
  verifiedOn: string;
  employed: boolean;
  evidence: EvidenceKind;
  attestationPreApproved: boolean;
  /** The checkpoint's date: the plan's first job start plus 1, 3, 6 or 12 months. */
  dueOn: string;
}

export interface PlanCheckpointVerdict {
  funded: boolean;
  reasons: string[];
  usesConcurrentJobs: boolean;
}

/**
 * The funded-outcome rule (funded-outcome.ts) applied to a plan's checkpoint: the plan's jobs and the
 * client's employment when the plan started, measured on the checkpoint's date.
 */
export function assessPlanCheckpoint(
  plan: Pick<ActionPlanDoc, 'jobs' | 'employmentAtStart'>,
  input: PlanCheckpointInput,
  config: OutcomeConfig,
): PlanCheckpointVerdict {
  const verdict = assessFundedOutcome(
    {
      checkpoint: input.checkpoint,
      checkpointDate: input.dueOn,
      employed: input.employed,
      evidence: [input.evidence],
      attestationPreApproved: input.attestationPreApproved,
      jobs: plan.jobs,
      employedAtStart: plan.employmentAtStart,
    },
    config,
  );
  return { funded: verdict.funded, reasons: verdict.reasons, usesConcurrentJobs: verdict.usesConcurrentJobs };
}
