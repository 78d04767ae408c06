#!/usr/bin/env bash
# Lint Tafel's OpenAPI document with the NL API Design Rules ruleset (Logius, vendored in adr-ruleset.yaml).
# CI only: installs the pinned Spectral CLI (Node) into tools/spectral/node_modules the first time. Users of Tafel
# never need Node. Fails on any error; warnings are printed. See docs/api.md, "Spectral".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"

if [ ! -x "$HERE/node_modules/.bin/spectral" ]; then
    npm ci --prefix "$HERE" --no-audit --no-fund --loglevel=error
fi

SPEC="$(mktemp --suffix=.json)"
trap 'rm -f "$SPEC"' EXIT
(cd "$ROOT" && TAFEL_DEMO=true TAFEL_DEBUG=true "$PY" manage.py openapi_dump --output "$SPEC")
"$HERE/node_modules/.bin/spectral" lint --ruleset "$HERE/adr-ruleset.yaml" --fail-severity error --format text "$SPEC"
