import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';

export interface DevKeys {
  privateKeyPem: string;
  publicKeyPem: string;
  publicKeyPath: string;
}

/**
 * Returns the development signing key pair kept in `dir`, generating it on first use. Production
 * never uses these: the gateway is given the identity provider's public key.
 */
export async function ensureDevKeys(dir: string): Promise<DevKeys> {
  const privatePath = join(dir, 'jwt-private.pem');
  const publicKeyPath = join(dir, 'jwt-public.pem');
  if (!existsSync(privatePath) || !existsSync(publicKeyPath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(privatePath, await exportPKCS8(privateKey), { mode: 0o600 });
    writeFileSync(publicKeyPath, await exportSPKI(publicKey));
  }
  return {
    privateKeyPem: readFileSync(privatePath, 'utf8'),
    publicKeyPem: readFileSync(publicKeyPath, 'utf8'),
    publicKeyPath,
  };
}
