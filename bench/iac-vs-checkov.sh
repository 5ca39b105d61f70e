#!/usr/bin/env bash
# Compares phiguard with Checkov on the same inputs in one run:
#   1. the bundled corpus of public Terraform plans and CloudFormation
#      templates (crates/phiguard/tests/corpus),
#   2. a generated Terraform plan with 10,000 resources (bench/gen_plan.py),
#   3. the bundled corpus of public Terraform modules (HCL), and
#   4. a generated Terraform module with 10,000 resources (bench/gen_hcl.py).
# It prints wall time and peak memory (maximum resident set size) for each
# tool, and the ratio of wall times. Checkov comes from PyPI into
# .venv-checkov and runs with --skip-download so it never contacts its
# vendor's servers.
#
# Usage: bench/iac-vs-checkov.sh [RUNS]   (default 3 runs per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x .venv-checkov/bin/checkov ]; then
    python3 -m venv .venv-checkov
    .venv-checkov/bin/pip install --quiet 'checkov>=3,<4'
fi
cargo build --release --quiet -p phiguard
python3 bench/gen_plan.py 10000 "$work/plan-10k.json"
python3 bench/gen_hcl.py 10000 "$work/hcl-10k"

corpus=crates/phiguard/tests/corpus
phiguard=target/release/phiguard
checkov=.venv-checkov/bin/checkov

# Runs a command RUNS times and prints the median wall time in seconds and
# the largest peak memory in MB. Exit codes 0 and 1 both mean "scanned".
measure() {
    local label="$1"
    shift
    local times=() peak=0
    for _ in $(seq "$runs"); do
        local start end
        start="$(date +%s.%N)"
        /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
        end="$(date +%s.%N)"
        kilobytes="$(tail -n 1 "$work/time")"
        times+=("$(echo "$end - $start" | bc -l)")
        if [ "$kilobytes" -gt "$peak" ]; then peak="$kilobytes"; fi
    done
    local median
    median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    printf '%-42s median %8.3f s   peak %7.1f MB\n' "$label" "$median" "$(echo "$peak / 1024" | bc -l)"
    echo "$median" > "$work/last"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "phiguard $($phiguard --version | cut -d' ' -f2), checkov $($checkov --version)"
echo

measure "phiguard: corpus" "$phiguard" scan --format json "$corpus/terraform-plans" "$corpus/cloudformation"
ours="$(cat "$work/last")"
measure "checkov: corpus" "$checkov" --skip-download --quiet --compact -o json \
    --framework terraform_plan cloudformation -d "$corpus/terraform-plans" -d "$corpus/cloudformation"
theirs="$(cat "$work/last")"
echo "corpus: phiguard is $(echo "$theirs / $ours" | bc -l | xargs printf '%.0f') times faster"
echo

measure "phiguard: 10,000-resource plan" "$phiguard" scan --format json "$work/plan-10k.json"
ours="$(cat "$work/last")"
measure "checkov: 10,000-resource plan" "$checkov" --skip-download --quiet --compact -o json \
    --framework terraform_plan -f "$work/plan-10k.json"
theirs="$(cat "$work/last")"
echo "10,000-resource plan: phiguard is $(echo "$theirs / $ours" | bc -l | xargs printf '%.0f') times faster"
echo

measure "phiguard: HCL corpus" "$phiguard" scan --format json "$corpus/terraform-hcl"
ours="$(cat "$work/last")"
measure "checkov: HCL corpus" "$checkov" --skip-download --quiet --compact -o json \
    --framework terraform -d "$corpus/terraform-hcl"
theirs="$(cat "$work/last")"
echo "HCL corpus: phiguard is $(echo "$theirs / $ours" | bc -l | xargs printf '%.0f') times faster"
echo

measure "phiguard: 10,000-resource module" "$phiguard" scan --format json "$work/hcl-10k"
ours="$(cat "$work/last")"
measure "checkov: 10,000-resource module" "$checkov" --skip-download --quiet --compact -o json \
    --framework terraform -d "$work/hcl-10k"
theirs="$(cat "$work/last")"
echo "10,000-resource module: phiguard is $(echo "$theirs / $ours" | bc -l | xargs printf '%.0f') times faster"
