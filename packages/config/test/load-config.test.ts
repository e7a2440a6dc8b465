import { z } from 'zod';
import { ConfigError, loadConfig, port, secret } from '../src';

describe('loadConfig', () => {
  const sections = {
    http: z.object({ PORT: port(4001) }),
    auth: z.object({ INTERNAL_SIGNING_SECRET: secret() }),
  };

  it('returns a typed nested object with defaults applied', () => {
    const config = loadConfig(sections, { INTERNAL_SIGNING_SECRET: 'x'.repeat(32) });
    expect(config.http.PORT).toBe(4001);
    expect(config.auth.INTERNAL_SIGNING_SECRET).toHaveLength(32);
  });

  it('reports every problem at once', () => {
    let caught: unknown;
    try {
      loadConfig(sections, { PORT: 'not-a-port', INTERNAL_SIGNING_SECRET: 'short' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/INTERNAL_SIGNING_SECRET: must be at least 32 characters/);
  });
});
