/**
 * The batch-exchange CLI behind `npm run generate`, `npm run import` and `npm run export`:
 *
 *   npm run generate -- action-plans --seed 7 --out plans.ndjson [--scale 0.1] [--set prototype|full]
 *                       [--until 2026-09-30] [--catchment peel]...
 *   npm run import -- action-plans plans.ndjson [--batch-size 500]
 *   npm run export -- action-plans --catchment peel [--out peel.ndjson]
 *   npm run generate -- disputes --seed 7 --out disputes.ndjson [--scale 0.1] [--until 2025-12-31]
 *                       [--catchment durham]...
 *   npm run import -- disputes disputes.ndjson [--batch-size 500]
 *   npm run export -- disputes --catchment durham [--out durham.ndjson]
 *
 * Data goes to the file (or stdout with `-`; use `npm run --silent` so npm's banner stays out of it);
 * progress every 2 s and each rejected line (`line N: reason`) go to stderr; the final counts go to
 * stdout, or stderr when the data itself is on stdout. Exit codes: 0 done; 2 done, but some lines
 * were rejected; 1 usage, connection or other errors.
 */
import { actionPlans } from './action-plans';
import { EXIT, UsageError, log } from './cli-support';
import { disputes } from './disputes';
import { CommandFailure, type Command, type ExchangeKind } from './exchange-kind';

/**
 * The kinds of record, each a module of its own exporting an ExchangeKind; their import and export are
 * `importCommand` / `exportCommand` over the service's exchange, their generate `writeGenerated`.
 */
const KINDS: Record<string, ExchangeKind> = {
  'action-plans': actionPlans,
  disputes,
};

const COMMANDS: readonly Command[] = ['generate', 'import', 'export'];

const HELP = `Batch exchange of IES records as NDJSON (one JSON object per line).

Usage:
  npm run generate -- <kind> --seed <n> --out <file|-> [options]
  npm run import   -- <kind> <file|->  [--batch-size <n>]
  npm run export   -- <kind> --catchment <id> [--out <file|->]

Kinds:
${Object.values(KINDS)
  .map((kind) => `  ${kind.name.padEnd(22)}${kind.description}`)
  .join('\n')}

generate (deterministic synthetic data; the same options give the same bytes):
  --seed <n>            non-negative integer (required)
  --out <file|->        where to write (required; - is stdout)
  --scale <s>           multiply every count (default 1)
  --until <date>        the data describes the world as of this date
                        (default: action-plans 2026-09-30, disputes 2025-12-31)
  --catchment <id>      only this catchment (repeatable)
  --set <prototype|full>
                        action-plans only. prototype: the three prototype catchments, 2021-01-01 to
                        2023-01-03, calibrated to the published figures; full (default): every
                        catchment in IES delivery, from its delivery start to --until

import (through the service's rules; idempotent on the CaMS reference or the dispute reference):
  <file|->              the NDJSON file (- is stdin)
  --batch-size <n>      lines applied per batch (default 500)

export:
  --catchment <id>      the catchment whose records to write (required)
  --out <file|->        where to write (default: stdout)

Import and export connect with the configuration of the kind's service (its environment variables:
the clients service's for action-plans, the disputes service's for disputes).
Progress and rejected lines ("line N: reason") go to stderr; the final counts to stdout.
Exit codes: 0 done; 2 done, some lines rejected; 1 usage, connection or other error.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, kindName, ...rest] = argv;
  if (!command || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return command ? EXIT.ok : EXIT.failed;
  }
  try {
    if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command: ${command}`);
    if (!kindName) throw new UsageError(`${command} needs a kind: ${Object.keys(KINDS).join(', ')}`);
    const kind = Object.hasOwn(KINDS, kindName) ? KINDS[kindName] : undefined;
    if (!kind) throw new UsageError(`unknown kind: ${kindName} (known: ${Object.keys(KINDS).join(', ')})`);
    const run = kind[command as Command];
    if (!run) throw new UsageError(`${kindName} does not support ${command}`);
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      log(`error: ${error.message}\nRun with --help for usage.`);
      return EXIT.failed;
    }
    if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') {
      log('error: the output was closed before the end (EPIPE)');
      return EXIT.failed;
    }
    if (error instanceof CommandFailure) {
      log(`error: ${error.message}`);
      return EXIT.failed;
    }
    log(`error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // A connection the exchange failed to close must not keep a finished command alive.
      setTimeout(() => process.exit(code), 5_000).unref();
    },
    (error: unknown) => {
      log(String(error));
      process.exitCode = EXIT.failed;
    },
  );
}
