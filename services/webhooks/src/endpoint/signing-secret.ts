import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Random bytes in a new secret (Standard Webhooks asks for 24–64). */
export const SECRET_BYTES = 32;

/** A new signing secret, `whsec_<base64 of 32 random bytes>`: shown once, to whoever created it. */
export const newSigningSecret = (): string => `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;

/**
 * Secrets at rest: AES-256-GCM under a key from configuration, so a database dump (or a change-log
 * record, which holds the endpoint's whole state) never holds a usable secret. The text stored is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the endpoint id is the additional data, so a ciphertext
 * moved onto another endpoint does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** `keyMaterial`: `WEBHOOKS_SECRET_KEY`, or the internal signing secret when it is unset. */
  constructor(keyMaterial: string) {
    this.key = Buffer.from(hkdfSync('sha256', keyMaterial, 'ies-webhooks', 'signing-secrets-at-rest', 32));
  }

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(endpointId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), sealed]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(stored: string, endpointId: string): string {
    const [version, iv, tag, sealed] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(endpointId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
