#!/usr/bin/env bash
# `make serve`: Tafel as production runs it, on this machine (docs/operations.md "make serve").
# TAFEL_ENV=production with every refusal satisfied: a strong secret key and field key kept in var/ (mode 0600,
# made once), second factor required, secure cookies, HSTS, lockout. It listens on loopback over plain HTTP:
# browsers accept secure cookies from http://localhost and ignore HSTS over HTTP, so this works locally; a real
# deployment puts TLS in front (a proxy with TAFEL_BEHIND_TLS_PROXY=true) and never exposes this port.
# Then: collectstatic, migrate, gunicorn with workers, and the task worker, which stops with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export TAFEL_VAR_DIR=${TAFEL_VAR_DIR:-$PWD/var}
mkdir -p "$TAFEL_VAR_DIR"

# A key file made once with 64 random URL-safe characters, readable by this user only.
key() {
    local file="$TAFEL_VAR_DIR/$1"
    if [ ! -s "$file" ]; then
        (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$file")
    fi
    chmod 600 "$file"
    cat "$file"
}

export TAFEL_ENV=production
export TAFEL_DEBUG=false TAFEL_DEMO=false
export TAFEL_SECRET_KEY="${TAFEL_SECRET_KEY:-$(key secret_key)}"
export TAFEL_FIELD_ENCRYPTION_KEY="${TAFEL_FIELD_ENCRYPTION_KEY:-$(key field_encryption_key)}"
export TAFEL_ALLOWED_HOSTS="${TAFEL_ALLOWED_HOSTS:-127.0.0.1,localhost}"
BIND=${TAFEL_BIND:-127.0.0.1:8000}
WORKERS=${TAFEL_WORKERS:-$((2 * $(nproc) + 1))}
THREADS=${TAFEL_THREADS:-1}

"$BIN/python" manage.py check --deploy --fail-level ERROR -v 0
"$BIN/python" manage.py collectstatic --noinput -v 0
"$BIN/python" manage.py migrate --noinput -v 0

"$BIN/python" manage.py worker &
WORKER=$!
# --preload: the application is loaded and warmed up (URLs, translations, templates: tafel/core/warmup.py) once in
# the master; every worker, also one recycled after --max-requests, is forked from it ready. A new version of the
# code therefore needs a restart of gunicorn, not a HUP. TAFEL_PRELOAD=false: each worker loads the application
# itself and compiles as it goes, as before 5 December 2026.
if [ "${TAFEL_PRELOAD:-true}" = "false" ]; then
    APP=(tafel.wsgi:application)
else
    APP=('tafel.wsgi:warmed()' --preload)
fi
"$BIN/gunicorn" "${APP[@]}" --bind "$BIND" --workers "$WORKERS" --threads "$THREADS" \
    --timeout 60 --graceful-timeout 20 --max-requests 2000 --max-requests-jitter 200 \
    --access-logfile - --worker-tmp-dir /dev/shm &
SERVER=$!
stop() {
    trap - EXIT INT TERM
    kill -TERM "$SERVER" "$WORKER" 2>/dev/null || true
    wait "$SERVER" "$WORKER" 2>/dev/null || true
}
trap stop EXIT INT TERM
echo "Tafel (production settings) on http://$BIND/ — $WORKERS workers and the task worker; Ctrl+C stops both."
# Either process ending ends both.
wait -n "$SERVER" "$WORKER" || true
