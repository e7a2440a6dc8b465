/** The event shape is owned by `@ies/events`: the gateway reads the platform's stream through it. */
export type { PlatformEvent } from '@ies/events';
