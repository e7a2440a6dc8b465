import type { PlatformEvent } from './platform-event';

/** What one subscription asked for: event types (any when null) and catchments (any in scope when null). */
export interface EventFilter {
  types: readonly string[] | null;
  catchmentIds: readonly string[] | null;
  matches?: (event: PlatformEvent) => boolean;
}

export function eventMatches(filter: EventFilter, event: PlatformEvent): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (
    filter.catchmentIds &&
    (event.catchmentId === null || !filter.catchmentIds.includes(event.catchmentId))
  ) {
    return false;
  }
  return filter.matches ? filter.matches(event) : true;
}
