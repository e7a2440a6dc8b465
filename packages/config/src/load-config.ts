import { z } from 'zod';

/** Raised when the environment does not satisfy a process's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Sections = Record<string, z.ZodType>;
type Loaded<S extends Sections> = { [K in keyof S]: z.output<S[K]> };

/**
 * Validates every concern of a process's configuration against the environment and reports every
 * problem at once. Each section is a zod schema over the environment variables it reads, so one
 * run of a misconfigured process lists everything that needs fixing.
 */
export function loadConfig<S extends Sections>(sections: S, env: NodeJS.ProcessEnv = process.env): Loaded<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(sections)) {
    const result = schema.safeParse(env);
    if (result.success) {
      out[name] = result.data;
    } else {
      for (const issue of result.error.issues) {
        const variable = issue.path.join('.') || name;
        problems.push(`${variable}: ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Loaded<S>;
}

export function formatConfigError(error: unknown): string {
  return error instanceof ConfigError ? error.message : String(error);
}

/**
 * For a process's `main`: the loaded configuration, or every problem on stderr and exit code 1.
 */
export function loadConfigOrExit<T>(processName: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    process.stderr.write(`${processName}: ${formatConfigError(error)}\n`);
    process.exit(1);
  }
}
