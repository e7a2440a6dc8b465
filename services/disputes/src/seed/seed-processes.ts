import type { CatchmentSeed, ManagerSeed } from '@ies/catchments/src/seed/catchment-seed';
import type { DisputeProcessDoc } from '../process/dispute-process.model';

const SEEDED_AT = new Date('2025-01-06T14:00:00Z');

/**
 * A synthetic published process for each catchment with an SSM (contacts on `.example` domains and
 * made-up numbers: the SSMs' real processes are theirs to publish through `publishDisputeProcess`).
 */
export function seedProcesses(
  catchments: readonly CatchmentSeed[],
  managers: readonly ManagerSeed[],
): Omit<DisputeProcessDoc, 'version'>[] {
  return catchments
    .filter((c) => c.ssmId !== null)
    .map((c, i) => {
      const ssm = managers.find((m) => m.id === c.ssmId)!;
      const domain = `${c.ssmId}.example.ca`;
      return {
        _id: c.id,
        howToFile: [
          `Raise the matter with your employment service provider first; it acknowledges every dispute in writing.`,
          `If you are not satisfied, or your provider is the subject of the dispute, contact ${ssm.organizationName}, the service system manager for ${c.name}, by email or phone.`,
          `Service providers file disputes about their agreement, funding or referrals with ${ssm.organizationName} directly.`,
          `Disputes not resolved by the service system manager may be escalated to the ministry.`,
        ].join(' '),
        escalationContacts: [
          {
            level: 'SSM',
            name: `${ssm.organizationName} — dispute resolution (${c.name})`,
            email: `disputes@${domain}`,
            phone: `+1 555 01${String(10 + i).padStart(2, '0')}`,
          },
          {
            level: 'MINISTRY',
            name: 'Employment Ontario — service system oversight',
            email: 'es-disputes@ontario.example.ca',
            phone: '+1 555 0199',
          },
        ],
        languages: ['English', 'Français'],
        publishedAt: SEEDED_AT,
      };
    });
}
