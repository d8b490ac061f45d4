#!/usr/bin/env bash
# Builds the server's image from the committed files (git archive), so nothing local (a virtualenv, test data, an
# uncommitted change) ends up in it. Usage: bash deploy/server/build-image.sh [TAG] [extra docker build options]
#   BASE=my-registry/python:3.11-slim-bookworm bash deploy/server/build-image.sh   (another base image)
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-p2c-server:$(git describe --always --dirty)}
shift || true
base_args=()
[ -z "${BASE:-}" ] || base_args=(--build-arg "BASE=$BASE")
git archive --format=tar HEAD constraints.txt kiosk server resources/locale scripts/translations.py \
  | docker build -f server/Containerfile -t "$tag" "${base_args[@]}" "$@" -
echo "built $tag"
