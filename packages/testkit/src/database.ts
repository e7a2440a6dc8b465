import type { Connection } from 'mongoose';
import { connectDatabase } from '@ies/db';
import { testEngines, uniqueName } from './engines';

/** A connection to a fresh database of this test file's own on the run's FerretDB. */
export async function connectTestDatabase(
  prefix: string,
  options: { monitorCommands?: boolean } = {},
): Promise<Connection> {
  return connectDatabase({
    uri: testEngines().mongoUri,
    dbName: uniqueName(prefix),
    monitorCommands: options.monitorCommands ?? false,
  });
}
