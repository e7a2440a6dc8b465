import express from 'express';
import type { Logger } from '@ies/logger';
import { createHttpApp, jsonErrorHandler, listenOn, notFoundHandler, requestIdMiddleware } from '../src';

describe('jsonErrorHandler', () => {
  const lines: Record<string, any>[] = [];
  /** Records what was logged, as pino would: bindings, fields, level and message. */
  const recorder = (bindings: Record<string, unknown>): Logger =>
    ({
      child: (more: Record<string, unknown>) => recorder({ ...bindings, ...more }),
      warn: (fields: object, msg: string) => lines.push({ ...bindings, ...fields, level: 40, msg }),
      error: (fields: object, msg: string) => lines.push({ ...bindings, ...fields, level: 50, msg }),
    }) as unknown as Logger;
  const logger = recorder({});
  const { app, httpServer } = createHttpApp();
  app.post('/echo', requestIdMiddleware(), express.json({ limit: '1kb' }), (req, res) => res.json(req.body));
  app.get('/boom', requestIdMiddleware(), () => {
    throw new Error('secret detail at /srv/app/src/x.ts:1');
  });
  app.use(notFoundHandler());
  app.use(jsonErrorHandler(logger));
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${await listenOn(httpServer, 0)}`;
  });
  afterAll(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

  it('answers a body it cannot parse with 400 BAD_REQUEST and logs it with the request id', async () => {
    const response = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'unit-1' },
      body: '{"a":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body must be a JSON object', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(lines.find((l) => l.requestId === 'unit-1')).toMatchObject({
      msg: 'refused request',
      status: 400,
      code: 'BAD_REQUEST',
    });
  });

  it('masks an unexpected failure as 500 INTERNAL_SERVER_ERROR, its detail in the log only', async () => {
    const response = await fetch(`${base}/boom`, { headers: { 'x-request-id': 'unit-2' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret detail|\/srv\/|at /);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(lines.find((l) => l.requestId === 'unit-2')).toMatchObject({
      level: 50,
      err: expect.objectContaining({ message: expect.stringMatching(/secret detail/) }),
    });
  });
});
