import { createHmac } from 'node:crypto';

/** Standard Webhooks headers of one delivery attempt (https://www.standardwebhooks.com). */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a `whsec_<base64>` secret: the base64-decoded bytes after the prefix. */
export function signingKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a signing secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for one secret. */
export function signatureOf(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', signingKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * The headers of one attempt: the event id (stable across retries and replays, so receivers
 * deduplicate by it), the attempt's time in seconds, and one signature per secret that signs now
 * (two or more during a rotation's overlap), space-separated.
 */
export function standardWebhookHeaders(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): StandardWebhookHeaders {
  if (secrets.length === 0) throw new Error('a delivery needs at least one signing secret');
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signatureOf(secret, id, timestamp, body)).join(' '),
  };
}
