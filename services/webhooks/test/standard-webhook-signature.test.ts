import { Webhook } from 'standardwebhooks';
import { standardWebhookHeaders } from '../src/delivery/standard-webhook-signature';
import { SecretBox, newSigningSecret } from '../src/endpoint/signing-secret';

describe('Standard Webhooks signature', () => {
  const body = JSON.stringify({ id: 'evt-1', type: 'ContractCreated', data: { a: 1 } });

  it('verifies with the reference library', () => {
    const secret = newSigningSecret();
    const headers = standardWebhookHeaders([secret], 'evt-1', new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('carries one signature per secret during a rotation, each verifying alone', () => {
    const [old, current] = [newSigningSecret(), newSigningSecret()];
    const headers = standardWebhookHeaders([old, current], 'evt-1', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [old, current])
      expect(() => new Webhook(secret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow();
  });

  it('signs id.timestamp.body: another id or time does not verify', () => {
    const secret = newSigningSecret();
    const headers = standardWebhookHeaders([secret], 'evt-1', new Date(), body);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt-2' })).toThrow();
    const stale = standardWebhookHeaders([secret], 'evt-1', new Date(Date.now() - 3_600_000), body);
    expect(() => new Webhook(secret).verify(body, { ...stale })).toThrow();
  });
});

describe('Signing secrets at rest', () => {
  it('seal and open under the configured key, bound to their endpoint', () => {
    const box = new SecretBox('a-key-of-at-least-thirty-two-characters!');
    const secret = newSigningSecret();
    const sealed = box.seal(secret, 'endpoint-1');
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed, 'endpoint-1')).toBe(secret);
    expect(() => box.open(sealed, 'endpoint-2')).toThrow();
    expect(() =>
      new SecretBox('another-key-of-at-least-thirty-two-chars').open(sealed, 'endpoint-1'),
    ).toThrow();
  });
});
