/**
 * A kind of record the exchange CLI moves: its commands take the arguments after the kind and resolve
 * to an exit code. Each kind lives in a module of its own (action-plans.ts); a command a kind does not
 * support is left out.
 */
export interface ExchangeKind {
  name: string;
  /** One line for `--help`: what a line holds, and the service it goes through. */
  description: string;
  generate?(args: string[]): Promise<number>;
  import?(args: string[]): Promise<number>;
  export?(args: string[]): Promise<number>;
}

export type Command = 'generate' | 'import' | 'export';

/** A failure that ends a command with exit code 1 and this message (no stack trace). */
export class CommandFailure extends Error {}
