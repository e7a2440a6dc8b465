import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadGatewayConfig } from '../src/config';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every variable the gateway reads: the upper-case keys of each concern of its configuration. */
const gatewayVariables = () => {
  const config = loadGatewayConfig({ JWT_PUBLIC_KEY: 'pem', INTERNAL_SIGNING_SECRET: 's'.repeat(32) });
  return (Object.values(config) as unknown[])
    .filter((concern): concern is object => typeof concern === 'object' && concern !== null)
    .flatMap((concern) => Object.keys(concern).filter((key) => /^[A-Z][A-Z0-9_]+$/.test(key)));
};

describe('The gateway’s configuration', () => {
  it("is listed in the README's configuration table, every variable", () => {
    const table = read('README.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .join('\n');
    const variables = gatewayVariables();
    expect(variables).toEqual(expect.arrayContaining(['TRUSTED_DOCUMENTS', 'RATE_LIMITS_ENABLED']));
    for (const variable of variables)
      expect({ variable, listed: table.includes(`\`${variable}\``) }).toEqual({ variable, listed: true });
  });

  it('is what docker-compose.yml sets for the gateway (no misspelt variable is silently ignored)', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: { gateway: { environment: Record<string, string> } };
      'x-node-service': { environment: Record<string, string> };
    };
    const shared = Object.keys(compose['x-node-service'].environment);
    const own = Object.keys(compose.services.gateway.environment).filter((v) => !shared.includes(v));
    const known = [...gatewayVariables(), 'JWT_PUBLIC_KEY_FILE'];
    for (const variable of own)
      expect({ variable, read: known.includes(variable) }).toEqual({ variable, read: true });
    expect(compose.services.gateway.environment).toMatchObject({
      TRUSTED_DOCUMENTS: 'require',
      RATE_LIMITS_ENABLED: 'true',
      INTROSPECTION: 'false',
    });
  });

  it('keeps rate-limit keys in one Redis Cluster slot by default (a hash tag in the prefix)', () => {
    const config = loadGatewayConfig({ JWT_PUBLIC_KEY: 'pem', INTERNAL_SIGNING_SECRET: 's'.repeat(32) });
    expect(config.rateLimits.RATE_LIMIT_KEY_PREFIX).toBe('{ies-rate}:');
  });

  it('answers introspection by default (development), and trusts no proxy', () => {
    const config = loadGatewayConfig({ JWT_PUBLIC_KEY: 'pem', INTERNAL_SIGNING_SECRET: 's'.repeat(32) });
    expect(config.schema.INTROSPECTION).toBe(true);
    expect(config.rateLimits.RATE_LIMIT_TRUSTED_PROXIES).toEqual([]);
  });

  it('refuses an unknown trusted documents mode', () => {
    expect(() =>
      loadGatewayConfig({
        JWT_PUBLIC_KEY: 'pem',
        INTERNAL_SIGNING_SECRET: 's'.repeat(32),
        TRUSTED_DOCUMENTS: 'strict',
      }),
    ).toThrow(/TRUSTED_DOCUMENTS/);
  });
});
