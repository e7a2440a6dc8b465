import type { Principal } from '@ies/auth';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/** Only the ministry changes catchments: SSM assignment, period dates, delivery zones. */
export function refuseUnlessMinistry(principal: Principal, action: string): MutationError | null {
  return principal.role === 'MINISTRY'
    ? null
    : mutationError('FORBIDDEN', `Only the ministry may ${action}; caller is ${principal.role}`);
}

/** The ministry reads every catchment's change history; an SSM reads its own catchments'. */
export function canReadChangeHistory(principal: Principal, catchmentId: string): boolean {
  return (
    principal.role === 'MINISTRY' ||
    (principal.role === 'SSM' && principal.catchmentIds.includes(catchmentId))
  );
}
