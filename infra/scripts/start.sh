#!/usr/bin/env bash
# `npm start`: the whole stack on the embedded default (FerretDB + Redis), seeded.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/bootstrap.sh
exec node --import tsx infra/stack/start-stack.ts
