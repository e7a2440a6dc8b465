import { changeRecordModel, recordId, subjectKey } from '@ies/change-log';
import { startCatchments } from './catchments-harness';

const SAVE_ZONE = `mutation($input: SaveServiceDeliveryZoneInput!) {
  saveServiceDeliveryZone(input: $input) { ok error { code message field } catchmentArea { version serviceDeliveryZones { name } } }
}`;
const HISTORY = `query($id: ID!) { catchmentArea(id: $id) { version serviceDeliveryZones { name } changeHistory { kind reason } } }`;

/** Simultaneous ministry changes of one catchment, through the real subgraph over HTTP. */
describe('Catchment changes under concurrency', () => {
  let subgraph: Awaited<ReturnType<typeof startCatchments>>;
  const ministry = () => subgraph.as(subgraph.ministry);
  const saveZone = (catchmentId: string, name: string, expectedVersion?: number) =>
    ministry().query(SAVE_ZONE, {
      input: { catchmentId, name, communities: [name], reason: `Zone ${name}`, expectedVersion },
    });
  const read = async (id: string) => (await ministry().query(HISTORY, { id })).body.data!.catchmentArea;

  beforeAll(async () => {
    subgraph = await startCatchments('catchment_concurrency');
  });
  afterAll(async () => {
    await subgraph.stop();
  });

  describe('when 20 callers change one catchment at once', () => {
    it('answers ok once per version and CONFLICT otherwise, and keeps every ok', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => saveZone('toronto', `Toronto zone ${i}`)),
      );
      const payloads = results.map((r) => r.body.data!.saveServiceDeliveryZone);
      const ok = payloads.filter((p) => p.ok);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      expect(payloads.filter((p) => !p.ok).every((p) => p.error.code === 'CONFLICT')).toBe(true);
      const versions = ok.map((p) => p.catchmentArea.version);
      expect(new Set(versions).size).toBe(ok.length);

      const catchment = await read('toronto');
      expect(catchment.version).toBe(1 + ok.length);
      expect(catchment.changeHistory).toHaveLength(1 + ok.length);
      expect(catchment.serviceDeliveryZones).toHaveLength(ok.length);
    });

    it('answers exactly one ok when all name the version they read', async () => {
      const version = (await read('northwest')).version;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => saveZone('northwest', `Northwest zone ${i}`, version)),
      );
      const payloads = results.map((r) => r.body.data!.saveServiceDeliveryZone);
      expect(payloads.filter((p) => p.ok)).toHaveLength(1);
      expect(payloads.filter((p) => p.error?.code === 'CONFLICT')).toHaveLength(19);
      expect((await read('northwest')).changeHistory).toHaveLength(2);
      const stale = await saveZone('northwest', 'Northwest late zone', version);
      expect(stale.body.data!.saveServiceDeliveryZone.error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`is at version ${version + 1}, not ${version}`),
      });
    });
  });

  describe('when 20 callers change one catchment at once and retry on CONFLICT', () => {
    it('applies all 20 in 20 consecutive versions', async () => {
      const before = (await read('northeast')).version;
      const versions = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          for (;;) {
            const payload = (await saveZone('northeast', `Northeast zone ${i}`)).body.data!
              .saveServiceDeliveryZone;
            if (payload.ok) return payload.catchmentArea.version as number;
            expect(payload.error.code).toBe('CONFLICT');
          }
        }),
      );
      expect([...versions].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => before + 1 + i),
      );
      const catchment = await read('northeast');
      expect(catchment.serviceDeliveryZones).toHaveLength(20);
      expect(catchment.changeHistory).toHaveLength(21);
    });
  });

  describe('when a change was logged but its projection not written (a crash)', () => {
    const crashAfterLogging = async (id: string, at: Date) => {
      const records = changeRecordModel(subgraph.connection);
      const head = (await records.findById(recordId('CatchmentArea', id, 1)).lean())!;
      const state = { ...(head.state as object), ssmId: 'serco-canada', version: 2 };
      await records.collection.insertOne({
        ...head,
        _id: recordId('CatchmentArea', id, 2),
        subject: subjectKey('CatchmentArea', id),
        version: 2,
        kind: 'ASSIGN_SERVICE_SYSTEM_MANAGER',
        at,
        reason: 'logged just before a crash',
        before: { ssmId: null },
        after: { ssmId: 'serco-canada' },
        state,
        projected: false,
      } as never);
    };

    it('is rolled forward by the next read', async () => {
      await crashAfterLogging('peel', new Date(Date.now() - 60_000));
      const { body } = await ministry().query(
        `{ catchmentArea(id: "peel") { version serviceSystemManager { id } } }`,
      );
      expect(body.data!.catchmentArea).toEqual({ version: 2, serviceSystemManager: { id: 'serco-canada' } });
      const stored = await subgraph.connection
        .collection('catchment_areas')
        .findOne({ _id: 'peel' } as never);
      expect(stored).toMatchObject({ version: 2, ssmId: 'serco-canada' });
    });

    it('is built on by the next write instead of being lost', async () => {
      await crashAfterLogging('york', new Date());
      const { body } = await saveZone('york', 'York north');
      expect(body.data!.saveServiceDeliveryZone).toMatchObject({ ok: true, catchmentArea: { version: 3 } });
      const stored = await subgraph.connection
        .collection('catchment_areas')
        .findOne({ _id: 'york' } as never);
      expect(stored).toMatchObject({ version: 3, ssmId: 'serco-canada' });
      expect((await read('york')).changeHistory.map((c: { kind: string }) => c.kind)).toEqual([
        'CREATE',
        'ASSIGN_SERVICE_SYSTEM_MANAGER',
        'SAVE_SERVICE_DELIVERY_ZONE',
      ]);
    });
  });
});
