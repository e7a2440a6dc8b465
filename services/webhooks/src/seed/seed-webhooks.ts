import type { Connection } from 'mongoose';

/** The webhooks service seeds nothing: endpoints are registered by partners and the ministry. */
export async function seedWebhooks(_connection: Connection): Promise<{ seeded: number }> {
  return { seeded: 0 };
}
