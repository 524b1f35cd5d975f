#!/usr/bin/env bash
# A short, bounded schemathesis run against the JSON API on PostgreSQL (called by .ci/run).
# The app runs under gunicorn with the demo data; schemathesis checks every operation of
# /api/v1/openapi.json: no 500s, only documented statuses, bodies as the schema says.
#   SCHEMATHESIS_DATABASE_URL  the database to (re)create (default: cnnavi_schemathesis)
#   SCHEMATHESIS_PORT          where gunicorn listens (default 8119)
#   SCHEMATHESIS_MAX_EXAMPLES  examples per operation and phase (default 20)
#   SCHEMATHESIS_MAX_TIME      the run's time budget in seconds (default 110)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${SCHEMATHESIS_PORT:-8119}"
export DATABASE_URL="${SCHEMATHESIS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cnnavi_schemathesis}"
export CNNAVI_ENV=development CNNAVI_DEBUG=false CNNAVI_LOG_LEVEL=WARNING
export CNNAVI_TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend

"$BIN/python" - <<'PY'
import os, psycopg
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PY
"$BIN/cnnavi" migrate --no-input -v 0
"$BIN/cnnavi" load_reference >/dev/null
"$BIN/cnnavi" demo >/dev/null
# A token of the demo company's owner (its company is id 1, which the coverage phase tries).
ids=$("$BIN/cnnavi" shell -v 0 -c "
from cnnavi.accounts.models import User
from cnnavi.api.services import token_create
from cnnavi.orgs.models import Membership
owner = User.objects.get(email='demo-sme@example.com')
_t, key = token_create(actor=owner, name='schemathesis')
print(key, Membership.objects.filter(user=owner).first().company_id)
" | tail -1)
read -r TOKEN COMPANY_ID <<<"$ids"
export TOKEN COMPANY_ID

"$BIN/gunicorn" cnnavi.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 30 \
  --limit-request-line 0 --log-level warning &  # long query strings reach the app, not gunicorn's 414
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/openapi.json" && break
  sleep 0.2
done

set +e
"$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,ignored_auth \
  --phases examples,coverage,fuzzing \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-20}" \
  --max-time "${SCHEMATHESIS_MAX_TIME:-110}" \
  --workers 1 --request-timeout 20 --seed 1 --no-color 2>&1 | tee /tmp/schemathesis-$$.log
status=${PIPESTATUS[0]}
set -e
grep -A1 "^Test cases:" /tmp/schemathesis-$$.log | tail -1 | sed 's/^ */schemathesis: /' || true
rm -f /tmp/schemathesis-$$.log
exit "$status"
