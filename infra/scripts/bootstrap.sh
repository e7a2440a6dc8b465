#!/usr/bin/env bash
# Installs what the project needs before anything runs: Node dependencies (npm install when node_modules is
# missing or older than the lock file). FerretDB and Redis are handled by the TypeScript launchers.
set -euo pipefail
cd "$(dirname "$0")/../.."

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bootstrap] installing dependencies (npm install)…" >&2
  # npm install, not npm ci: this npm writes lock files without other platforms' optional packages,
  # which npm ci then reports as missing. npm install still installs the lock file's versions.
  npm install --no-audit --no-fund --loglevel=error
fi
