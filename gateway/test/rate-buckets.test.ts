import type { Principal } from '@ies/auth';
import { loadGatewayConfig } from '../src/config';
import { clientIp, rateBuckets, retryAfterSeconds } from '../src/rate-limits/rate-buckets';
import { trustedProxies } from '../src/rate-limits/trusted-proxies';

const limits = { perPrincipal: 10, ministryPerPrincipal: 50, perIp: 100 };
const principal = (role: Principal['role'], subject = 'someone'): Principal => ({
  role,
  subject,
  catchmentIds: [],
  providerIds: [],
  partnerId: null,
});

describe('Rate buckets', () => {
  it('limits a signed-in caller by its IP and by its role and subject', () => {
    expect(rateBuckets({ principal: principal('PROVIDER', 'sp-1'), ip: '10.0.0.1' }, limits, 'p:')).toEqual([
      { key: 'p:ip:10.0.0.1', limit: 100 },
      { key: 'p:principal:PROVIDER:sp-1', limit: 10 },
    ]);
  });

  it('gives the ministry its own limit', () => {
    expect(rateBuckets({ principal: principal('MINISTRY'), ip: '10.0.0.1' }, limits, 'p:')[1]).toEqual({
      key: 'p:principal:MINISTRY:someone',
      limit: 50,
    });
  });

  it('limits anonymous callers, and callers with an invalid token, by their IP alone', () => {
    expect(rateBuckets({ principal: null, ip: '10.0.0.1' }, limits, 'p:')).toEqual([
      { key: 'p:ip:10.0.0.1', limit: 100 },
    ]);
    expect(rateBuckets({ principal: principal('PUBLIC'), ip: '10.0.0.1' }, limits, 'p:')).toHaveLength(1);
  });
});

describe('Client IP', () => {
  const none = trustedProxies([]);
  const balancers = trustedProxies(['10.0.0.0/8', 'fd00::/8', '192.0.2.10']);

  describe('with no trusted proxy', () => {
    it('is the socket’s peer, whatever X-Forwarded-For claims', () => {
      expect(clientIp('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    });

    it('reads an IPv4 address seen through an IPv6 socket as IPv4', () => {
      expect(clientIp('::ffff:127.0.0.1', undefined, none)).toBe('127.0.0.1');
    });
  });

  describe('behind trusted proxies (addresses and CIDRs)', () => {
    it('ignores X-Forwarded-For from a caller that is not a trusted proxy (no spoofing its bucket)', () => {
      expect(clientIp('203.0.113.9', '198.51.100.1', balancers)).toBe('203.0.113.9');
      expect(clientIp('::ffff:203.0.113.9', ['1.1.1.1', '10.0.0.1'], balancers)).toBe('203.0.113.9');
    });

    it('is the address the trusted proxy received from', () => {
      expect(clientIp('10.0.0.2', '198.51.100.7, 203.0.113.5', balancers)).toBe('203.0.113.5');
      expect(clientIp('::ffff:192.0.2.10', '203.0.113.5', balancers)).toBe('203.0.113.5');
      expect(clientIp('fd00::1', '2001:db8::7', balancers)).toBe('2001:db8::7');
    });

    it('skips hops that are trusted proxies themselves, and stops at the first that is not', () => {
      expect(clientIp('10.0.0.2', '198.51.100.7, 203.0.113.5, 10.0.0.1', balancers)).toBe('203.0.113.5');
      expect(clientIp('10.0.0.2', ['1.2.3.4', '203.0.113.5', '10.9.9.9'], balancers)).toBe('203.0.113.5');
    });

    it('falls back to the leftmost entry, or the peer, when every hop is trusted or the header is absent', () => {
      expect(clientIp('10.0.0.2', '10.0.0.3', balancers)).toBe('10.0.0.3');
      expect(clientIp('10.0.0.2', undefined, balancers)).toBe('10.0.0.2');
    });
  });

  describe('the RATE_LIMIT_TRUSTED_PROXIES list', () => {
    const load = (value: string) =>
      loadGatewayConfig({
        JWT_PUBLIC_KEY: 'pem',
        INTERNAL_SIGNING_SECRET: 's'.repeat(32),
        RATE_LIMIT_TRUSTED_PROXIES: value,
      }).rateLimits.RATE_LIMIT_TRUSTED_PROXIES;

    it('is addresses and CIDRs, comma-separated, empty by default', () => {
      expect(load('')).toEqual([]);
      expect(load(' 10.0.0.0/8, fd00::/8 ,192.0.2.10')).toEqual(['10.0.0.0/8', 'fd00::/8', '192.0.2.10']);
    });

    it('refuses a count of proxies (its old meaning) or a malformed range', () => {
      for (const value of ['1', '10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/2']) {
        expect(() => load(value)).toThrow(/RATE_LIMIT_TRUSTED_PROXIES/);
      }
    });
  });
});

describe('Retry-After', () => {
  it('is whole seconds, rounded up, never 0', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});
