import mongoose, { type Connection } from 'mongoose';
import { deadlinePlugin } from './deadline';

export interface DatabaseOptions {
  /** MongoDB URI (FerretDB locally, MongoDB in production). */
  uri: string;
  /** Each service owns its database: its name is configuration. */
  dbName: string;
  /** Emit driver command events (used to count queries in tests and benchmarks). */
  monitorCommands?: boolean;
  serverSelectionTimeoutMS?: number;
}

/**
 * Opens a dedicated mongoose connection for one service's database and waits until it answers a
 * ping. A connection per service (not the mongoose global) keeps databases apart inside one process,
 * which the tests rely on. Every query sent within `withDeadline` gets `maxTimeMS` from it.
 */
export async function connectDatabase(options: DatabaseOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.dbName,
    monitorCommands: options.monitorCommands ?? false,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    autoIndex: false,
    autoCreate: false,
  });
  // Before any model is compiled on it: queries sent inside `withDeadline` are bounded by it.
  connection.plugin(deadlinePlugin);
  await connection.asPromise();
  await connection.db!.admin().command({ ping: 1 });
  return connection;
}
