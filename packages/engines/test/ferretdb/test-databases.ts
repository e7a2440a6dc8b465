import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Client } from 'pg';

/** The run's engines (Jest global setup): FerretDB's URI and the PostgreSQL database behind it. */
export function runEngines(): { mongoUri: string; postgresUrl: string } {
  const mongoUri = process.env.IES_TEST_MONGO_URI;
  const postgresUrl = process.env.IES_TEST_POSTGRESQL_URL;
  if (!mongoUri || !postgresUrl)
    throw new Error('run with `npm test`: the Jest global setup starts the engines');
  return { mongoUri, postgresUrl };
}

/** A FerretDB database name of this file's own. */
export const freshDbName = (prefix: string) => `t_${prefix}_${randomBytes(4).toString('hex')}`;

export async function connectMongo(): Promise<MongoClient> {
  return new MongoClient(runEngines().mongoUri).connect();
}

export async function connectPostgres(): Promise<Client> {
  const client = new Client({ connectionString: runEngines().postgresUrl });
  await client.connect();
  return client;
}
