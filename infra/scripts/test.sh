#!/usr/bin/env bash
# `npm test`: installs what is missing, checks types, lint and the committed supergraph, then runs
# every test against engines of its own (Jest global setup starts them).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/bootstrap.sh
npx turbo run typecheck lint --output-logs=errors-only
npx tsx gateway/scripts/compose-supergraph.ts --check
npx jest --ci "$@"
