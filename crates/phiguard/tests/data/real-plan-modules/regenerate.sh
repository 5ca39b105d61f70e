#!/usr/bin/env bash
# Regenerates plan.json from main.tf with a real Terraform and AWS provider,
# fully offline: providers come from a local filesystem mirror
# (PHIGUARD_TF_MIRROR, default /opt/tf-plugins), proxies and every AWS
# endpoint point at 127.0.0.1, and `-refresh=false` skips API calls. The plan
# only creates resources, so Terraform never contacts the endpoints.
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mirror="${PHIGUARD_TF_MIRROR:-/opt/tf-plugins}"
sed "s|/opt/tf-plugins|$mirror|" terraformrc > "$work/terraformrc"
cp -r main.tf modules "$work/"
export TF_CLI_CONFIG_FILE="$work/terraformrc" HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 CHECKPOINT_DISABLE=1
terraform -chdir="$work" init -input=false -no-color >/dev/null
terraform -chdir="$work" plan -refresh=false -input=false -no-color -out=plan.out >/dev/null
terraform -chdir="$work" show -json plan.out > plan.json
echo "wrote $(pwd)/plan.json"
