#!/usr/bin/env bash
# Creates Patchloop's namespace and search attributes on a Temporal cluster.
# Runs the temporal CLI inside the admin-tools container of docker-compose.yml by default;
# with TEMPORAL_CLI=temporal and TEMPORAL_ADDRESS=host:7233 (plus --tls flags in TEMPORAL_CLI_FLAGS)
# it works against any cluster from a machine that has the CLI.
# Idempotent: what exists already is left as it is.
set -euo pipefail

NAMESPACE="${PATCHLOOP_TEMPORAL_NAMESPACE:-patchloop}"
RETENTION="${PATCHLOOP_TEMPORAL_RETENTION:-30d}"
CLI="${TEMPORAL_CLI:-docker exec patchloop-temporal-admin-tools temporal}"
FLAGS="${TEMPORAL_CLI_FLAGS:-}"

# Keep in step with io.patchloop.workflows.TicketSearchAttributes.
SEARCH_ATTRIBUTES=(
  "PatchloopTicketId:Keyword"
  "PatchloopOperation:Keyword"
  "PatchloopBaseline:Keyword"
  "PatchloopExternalRef:Keyword"
)

echo "waiting for Temporal to answer"
for _ in $(seq 1 60); do
  if $CLI operator cluster health $FLAGS >/dev/null 2>&1; then break; fi
  sleep 2
done
$CLI operator cluster health $FLAGS

if $CLI operator namespace describe --namespace "$NAMESPACE" $FLAGS >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  $CLI operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" \
    --description "Patchloop scan and repair tickets" $FLAGS
  echo "namespace $NAMESPACE created (retention $RETENTION)"
fi

existing="$($CLI operator search-attribute list --namespace "$NAMESPACE" $FLAGS || true)"
for attr in "${SEARCH_ATTRIBUTES[@]}"; do
  name="${attr%%:*}"
  type="${attr##*:}"
  if grep -qw "$name" <<<"$existing"; then
    echo "search attribute $name exists"
  else
    $CLI operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type" $FLAGS
    echo "search attribute $name ($type) created"
  fi
done
echo "done: point Patchloop at it with PATCHLOOP_TEMPORAL_TARGET=<host>:7233 PATCHLOOP_TEMPORAL_NAMESPACE=$NAMESPACE"
