import type { Principal } from '@ies/auth';
import { clientIp, rateBuckets, retryAfterSeconds } from '../src/rate-limits/rate-buckets';

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
  describe('with no trusted proxy', () => {
    it('is the socket’s peer, whatever X-Forwarded-For claims', () => {
      expect(clientIp('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
    });

    it('reads an IPv4 address seen through an IPv6 socket as IPv4', () => {
      expect(clientIp('::ffff:127.0.0.1', undefined, 0)).toBe('127.0.0.1');
    });
  });

  describe('behind trusted proxies', () => {
    it('is the address the outermost trusted proxy received from', () => {
      expect(clientIp('10.0.0.2', '198.51.100.7, 203.0.113.5', 1)).toBe('203.0.113.5');
      expect(clientIp('10.0.0.2', '198.51.100.7, 203.0.113.5, 10.0.0.1', 2)).toBe('203.0.113.5');
    });

    it('ignores what the caller wrote itself before the proxies', () => {
      expect(clientIp('10.0.0.2', ['1.2.3.4', '203.0.113.5'], 1)).toBe('203.0.113.5');
    });

    it('falls back to the leftmost entry, or the peer, when the header is short or absent', () => {
      expect(clientIp('10.0.0.2', '203.0.113.5', 3)).toBe('203.0.113.5');
      expect(clientIp('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
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
