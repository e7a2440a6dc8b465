import type { Connection } from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';

/**
 * Counts the commands a connection sends, by command name and collection. The connection must be
 * opened with `monitorCommands: true`. Used to prove that batched resolvers cost one query.
 */
export class CommandCounter {
  private readonly seen: { command: string; collection: string }[] = [];
  private readonly listener = (event: CommandStartedEvent) => {
    const collection = event.command[event.commandName];
    this.seen.push({
      command: event.commandName,
      collection: typeof collection === 'string' ? collection : '',
    });
  };

  constructor(private readonly connection: Connection) {
    connection.getClient().on('commandStarted', this.listener);
  }

  count(command: string, collection?: string): number {
    return this.seen.filter((s) => s.command === command && (!collection || s.collection === collection))
      .length;
  }

  reset(): void {
    this.seen.length = 0;
  }

  dispose(): void {
    this.connection.getClient().off('commandStarted', this.listener);
  }
}
