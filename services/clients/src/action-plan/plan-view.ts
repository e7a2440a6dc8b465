import type { ActionPlanDoc, ActiveOfferKind, CheckpointName } from './action-plan.model';

const MONTHS: Record<CheckpointName, number> = { MONTH_1: 1, MONTH_3: 3, MONTH_6: 6, MONTH_12: 12 };

export const checkpointMonths = (checkpoint: CheckpointName) => MONTHS[checkpoint];

/** Active offers the client is owed (self-identified Indigenous / Francophone) and not yet recorded. */
export function activeOffersDue(
  plan: Pick<ActionPlanDoc, 'equityAtStart' | 'activeOffers'>,
): ActiveOfferKind[] {
  const owed: ActiveOfferKind[] = [];
  if (plan.equityAtStart.indigenous === 'YES') owed.push('INDIGENOUS');
  if (plan.equityAtStart.francophone === 'YES') owed.push('FRENCH_LANGUAGE');
  return owed.filter((kind) => !plan.activeOffers.some((o) => o.kind === kind));
}
