import { isIsoDate, type PeriodDates } from '@ies/calendar';
import { mutationError, validateText, type MutationError } from '@ies/subgraph-kit';

export const MAX_NAME_LENGTH = 200;
export const MAX_COMMUNITIES = 200;

const ORDER: (keyof PeriodDates)[] = ['planningStartDate', 'transitionStartDate', 'iesDeliveryStartDate'];
const LABEL: Record<keyof PeriodDates, string> = {
  planningStartDate: 'planning start',
  transitionStartDate: 'transition start',
  iesDeliveryStartDate: 'IES delivery start',
};

/**
 * Period dates must be real dates in order: planning ≤ transition ≤ IES delivery. A later period
 * cannot be dated while an earlier one is still TBA.
 */
export function validatePeriodDates(dates: PeriodDates): MutationError | null {
  for (const field of ORDER) {
    const value = dates[field];
    if (value !== null && !isIsoDate(value)) {
      return mutationError(
        'VALIDATION_FAILED',
        `The ${LABEL[field]} date is not a valid date`,
        `input.${field}`,
      );
    }
  }
  for (let i = 1; i < ORDER.length; i++) {
    const field = ORDER[i]!;
    const value = dates[field];
    if (value === null) continue;
    for (let j = i - 1; j >= 0; j--) {
      const earlier = ORDER[j]!;
      const earlierValue = dates[earlier];
      if (earlierValue === null) {
        return mutationError(
          'VALIDATION_FAILED',
          `The ${LABEL[field]} date needs a ${LABEL[earlier]} date before it`,
          `input.${earlier}`,
        );
      }
      if (earlierValue > value) {
        return mutationError(
          'VALIDATION_FAILED',
          `The ${LABEL[field]} date (${value}) must not be before the ${LABEL[earlier]} date (${earlierValue})`,
          `input.${field}`,
        );
      }
    }
  }
  return null;
}

export interface ZoneInput {
  name: string;
  communities: string[];
}

/** A zone has a name and at least one distinct, named community. */
export function normalizeZone(input: ZoneInput): { zone: ZoneInput } | { error: MutationError } {
  const hostile =
    validateText(input.name, 'input.name', 'A zone name', 'name') ??
    input.communities
      .map((c) => validateText(c, 'input.communities', 'A community name', 'name'))
      .find((e) => e !== null);
  if (hostile) return { error: hostile };
  const name = input.name.trim();
  if (!name || name.length > MAX_NAME_LENGTH) {
    return {
      error: mutationError(
        'VALIDATION_FAILED',
        `A zone name of 1–${MAX_NAME_LENGTH} characters is required`,
        'input.name',
      ),
    };
  }
  const communities = [...new Set(input.communities.map((c) => c.trim()))];
  if (
    communities.length === 0 ||
    communities.length > MAX_COMMUNITIES ||
    communities.some((c) => !c || c.length > MAX_NAME_LENGTH)
  ) {
    return {
      error: mutationError(
        'VALIDATION_FAILED',
        `A zone lists 1–${MAX_COMMUNITIES} communities, each named in 1–${MAX_NAME_LENGTH} characters`,
        'input.communities',
      ),
    };
  }
  return { zone: { name, communities } };
}
