#!/usr/bin/env bash
# `npm test`: installs what is missing, checks types, lint, the committed supergraph and the trusted
# documents manifest, then runs every test against engines of its own (Jest global setup starts them).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/bootstrap.sh
npx turbo run typecheck lint --output-logs=errors-only
npx prettier --check --log-level warn .
npx tsx gateway/scripts/compose-supergraph.ts --check
npx tsx gateway/scripts/trusted-documents.ts --check
npx tsx infra/scripts/codegen.ts --check
mkdir -p .cache
status=0
npx jest --ci --json --outputFile=.cache/jest-results.json "$@" || status=$?
# One plain closing line with the counts, whatever the outcome.
node -e 'const r = require("./.cache/jest-results.json"); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' || true
exit "$status"
