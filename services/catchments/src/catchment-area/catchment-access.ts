import type { Principal } from '@ies/auth';

/** The ministry reads every catchment's change history; an SSM reads its own catchments'. */
export function canReadChangeHistory(principal: Principal, catchmentId: string): boolean {
  return (
    principal.role === 'MINISTRY' ||
    (principal.role === 'SSM' && principal.catchmentIds.includes(catchmentId))
  );
}
