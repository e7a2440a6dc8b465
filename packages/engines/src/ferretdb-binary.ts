import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** The pinned FerretDB release; infra/ferretdb/go.mod pins the same module version. */
export const FERRETDB_VERSION = 'v1.24.2';

const LOCK_STALE_MS = 15 * 60 * 1000;

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Returns the path of the FerretDB launcher binary, building it from the Go module proxy the first
 * time (about a minute). The binary is cached under `.cache/ferretdb/<version>/`, so a version bump
 * rebuilds and nothing else does. A lock directory keeps concurrent starts from building twice.
 */
export function ensureFerretDbBinary(log: (line: string) => void = () => {}): string {
  const root = repoRoot();
  const dir = join(root, '.cache', 'ferretdb', FERRETDB_VERSION);
  const binary = join(dir, 'ies-ferretdb');
  if (existsSync(binary)) return binary;

  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(binary)) return binary;
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else sleepSync(500);
    }
  }
  try {
    if (existsSync(binary)) return binary;
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (go.status !== 0) {
      throw new Error(
        'FerretDB must be built from source and no Go toolchain was found: install Go 1.24 or newer',
      );
    }
    log(`building FerretDB ${FERRETDB_VERSION} launcher with ${go.stdout.trim()} (first run only)…`);
    const tmp = `${binary}.tmp-${process.pid}`;
    const build = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
      cwd: join(root, 'infra', 'ferretdb'),
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    if (build.status !== 0) throw new Error(`building FerretDB failed (exit ${build.status})`);
    renameSync(tmp, binary);
    log(`FerretDB launcher cached at ${binary}`);
    return binary;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
