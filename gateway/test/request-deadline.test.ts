import { fetchDeadline, signedDeadline } from '../src/request-deadline';

describe('The deadline of a subgraph fetch', () => {
  const now = Date.parse('2026-01-05T12:00:00Z');

  it('is the subgraph timeout from now while the request has longer', () => {
    expect(fetchDeadline(now, 10_000, now + 60_000)).toBe(now + 10_000);
  });

  it('never runs past the request’s own deadline', () => {
    expect(fetchDeadline(now, 10_000, now + 2_500)).toBe(now + 2_500);
  });

  it('is null once the request’s deadline has passed: the fetch is not sent', () => {
    expect(fetchDeadline(now, 10_000, now)).toBeNull();
    expect(fetchDeadline(now, 10_000, now - 1)).toBeNull();
  });
});

describe('The deadline signed for a subgraph', () => {
  const now = Date.parse('2026-01-05T12:00:00Z');

  it('is 250 ms before the gateway aborts the fetch, so a partial answer can still arrive', () => {
    expect(signedDeadline(now, now + 30_000)).toBe(now + 30_000 - 250);
    expect(signedDeadline(now, now + 2_500)).toBe(now + 2_250);
  });

  it('leaves a short fetch nine tenths of its time', () => {
    expect(signedDeadline(now, now + 1_000)).toBe(now + 900);
    expect(signedDeadline(now, now + 5)).toBe(now + 5);
  });
});
