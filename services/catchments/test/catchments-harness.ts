import type { Connection } from 'mongoose';
import { CommandCounter, refreshCollectionSize } from '@ies/db';
import { changeRecordModel } from '@ies/change-log';
import { catchmentAreaModel } from '../src/catchment-area/catchment-area.model';
import { serviceSystemManagerModel } from '../src/service-system-manager/service-system-manager.model';
import { createLogger } from '@ies/logger';
import { connectTestDatabase, principalOf, subgraphRequest } from '@ies/testkit';
import type { Principal } from '@ies/auth';
import { seedCatchments } from '../src/seed/seed-catchments';
import { SUBGRAPH_NAME, createCatchmentsServer, ensureIndexes } from '../src/server';

/** The catchments subgraph in-process on port 0 against a fresh, seeded FerretDB database. */
export async function startCatchments(name: string) {
  const connection: Connection = await connectTestDatabase(name, { monitorCommands: true });
  await ensureIndexes(connection);
  await seedCatchments(connection);
  const models = {
    catchments: catchmentAreaModel(connection),
    managers: serviceSystemManagerModel(connection),
    changeLog: changeRecordModel(connection),
  };
  // The sizes the service's batched lookups decide with (ADR 0008), known before any test asks.
  await Promise.all(Object.values(models).map(refreshCollectionSize));
  const secret = `catchments-test-${crypto.randomUUID()}`;
  const server = await createCatchmentsServer({
    connection,
    logger: createLogger('catchments', 'silent'),
    internalSecret: secret,
  });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const ministry = principalOf('MINISTRY');
  return {
    connection,
    url,
    secret,
    commands: new CommandCounter(connection),
    models,
    ministry,
    as: (principal: Principal) => ({
      query: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) =>
        subgraphRequest<T>(url, query, { principal, secret, audience: SUBGRAPH_NAME, variables }),
    }),
    async stop() {
      await server.close();
      await connection.close();
    },
  };
}
