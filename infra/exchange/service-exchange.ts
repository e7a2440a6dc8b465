import type { ImportTarget, LineParser } from '@ies/clients/src/exchange/exchange-types';
import { CommandFailure } from './exchange-kind';

/**
 * What the import and export commands need from a kind's service, the same for every kind: where lines
 * are applied, how a line's text becomes a record and a record a line, and the records of a catchment.
 */
export interface ServiceExchange<L> {
  target: ImportTarget<L>;
  parse: LineParser<L>;
  format: (line: L) => string;
  exportLines(catchmentId: string): AsyncIterable<L>;
  close(): Promise<void>;
}

/** How the commands name a kind and reach its service. */
export interface ExchangeSpec<L> {
  /** The kind as typed on the command line: `action-plans`. */
  kind: string;
  /** What a line is, plural, in progress and counts: `plans`. */
  noun: string;
  /** Opens the service's exchange from this process's environment (failures are CommandFailures). */
  open(): Promise<ServiceExchange<L>>;
}

/**
 * Loads a service's exchange module on use (so `generate` never loads a service, its database driver
 * or its configuration) and opens it with this process's environment, the service's own variables.
 */
export async function openServiceExchange<X>(
  names: { service: string; exchange: string },
  load: () => Promise<(env: NodeJS.ProcessEnv) => Promise<X>>,
): Promise<X> {
  let open: (env: NodeJS.ProcessEnv) => Promise<X>;
  try {
    open = await load();
  } catch (error) {
    throw new CommandFailure(
      `the ${names.service} service's exchange could not be loaded: ${(error as Error).message}`,
    );
  }
  try {
    return await open(process.env);
  } catch (error) {
    throw new CommandFailure(`cannot open the ${names.exchange} exchange: ${(error as Error).message}`);
  }
}
