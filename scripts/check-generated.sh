#!/usr/bin/env bash
# Fails when proto/gen differs from what `buf generate` makes of proto/.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH" buf generate
if [ -n "$(git status --porcelain -- proto/gen)" ]; then
  echo "generated code is stale: run 'npm run generate' and commit proto/gen" >&2
  git status --short -- proto/gen >&2
  exit 1
fi
echo "generated code is up to date"
