#!/usr/bin/env bash
# Runs `buf breaking` for every commit (among the last $DEPTH) that changed a
# .proto file, against its parent: a wire change that breaks clients fails CI
# unless its commit message says "BREAKING-PROTO:" (allowed before the first
# release only, and recorded in the changelog).
set -euo pipefail
cd "$(dirname "$0")/.."
DEPTH="${DEPTH:-200}"
buf="$PWD/node_modules/.bin/buf"
# buf clones the repository to read a ref, 50 commits deep unless told otherwise:
# deep enough to reach the oldest commit checked.
history="$(git rev-list --count HEAD)"
checked=0
for c in $(git rev-list --max-count="$DEPTH" HEAD -- 'proto/*.proto' 'proto/**/*.proto'); do
  if ! git rev-parse -q --verify "$c^" >/dev/null; then continue; fi
  if [ -z "$(git ls-tree -r --name-only "$c^" -- proto | grep '\.proto$' || true)" ]; then continue; fi
  if git log -1 --format=%B "$c" | grep -q "BREAKING-PROTO:"; then
    echo "skip $c (declared breaking)"; continue
  fi
  "$buf" breaking ".git#ref=$c,subdir=proto,depth=$history" --against ".git#ref=$c^,subdir=proto,depth=$history"
  checked=$((checked + 1))
done
echo "buf breaking: checked $checked contract change(s)"
