import { createHttpApp, listenOn, mountHealthRoutes, requestIdMiddleware } from '../src';

describe('HTTP plumbing', () => {
  let ready = true;
  let base: string;
  const { app, httpServer } = createHttpApp();
  mountHealthRoutes(app, {
    service: 'probe',
    readiness: async () =>
      ready ? { ready } : { ready, detail: { reason: 'a dependency is not answering' } },
  });
  app.get('/echo', requestIdMiddleware(), (_req, res) => {
    res.json({ requestId: res.locals.requestId });
  });

  beforeAll(async () => {
    base = `http://127.0.0.1:${await listenOn(httpServer, 0)}`;
  });
  afterAll(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

  it('answers live with the service name', async () => {
    const response = await fetch(`${base}/health/live`);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(await response.json()).toEqual({ status: 'ok', service: 'probe' });
  });

  describe('when a dependency stops answering', () => {
    it('reports not ready with 503 and the detail', async () => {
      expect(await (await fetch(`${base}/health/ready`)).json()).toEqual({
        status: 'ready',
        service: 'probe',
      });
      ready = false;
      const response = await fetch(`${base}/health/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'not ready',
        service: 'probe',
        reason: 'a dependency is not answering',
      });
    });
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const kept = await fetch(`${base}/echo`, { headers: { 'x-request-id': 'req-42' } });
    expect(kept.headers.get('x-request-id')).toBe('req-42');
    expect(await kept.json()).toEqual({ requestId: 'req-42' });
    const replaced = await fetch(`${base}/echo`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
