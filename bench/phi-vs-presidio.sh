#!/usr/bin/env bash
# Benchmark phiguard's PHI detector against Microsoft Presidio on the same
# generated corpus, in one run: throughput (MB/s per core) and precision and
# recall against the generator's labels.
#
# usage: bench/phi-vs-presidio.sh [WORK_DIR]
#
# Environment:
#   PRESIDIO_BYTES   size of the labelled corpus both tools scan (default 2000000)
#   LOG_BYTES        size of the corpora phiguard alone scans for throughput
#                    (default 200000000)
#   PRESIDIO_VERSION presidio-analyzer version from PyPI (default 2.2.366)
#   PRESIDIO_THRESHOLD  minimum Presidio score counted (default 0.4, the floor
#                    Presidio's context enhancer gives a boosted result)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/phi-bench.XXXXXX)}"
presidio_bytes="${PRESIDIO_BYTES:-2000000}"
log_bytes="${LOG_BYTES:-200000000}"
presidio_version="${PRESIDIO_VERSION:-2.2.366}"
threshold="${PRESIDIO_THRESHOLD:-0.4}"
venv="$repo/.venv-bench"
mkdir -p "$work"

echo "== machine"
echo "nproc: $(nproc)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^model name\s*:/cpu:/'
echo "work dir: $work"

echo "== build (release)"
(cd "$repo" && cargo build --release -q -p phiguard -p phiguard-phi --bins)
phiguard="$repo/target/release/phiguard"
generator="$repo/target/release/phi-corpus"

echo "== Presidio environment"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "presidio-analyzer==$presidio_version"
# spaCy's trained English model is published on GitHub releases, not PyPI;
# when pip cannot find it the runner falls back to a blank pipeline.
if ! "$venv/bin/pip" install -q en_core_web_sm 2>"$work/en_core_web_sm.log"; then
    echo "en_core_web_sm: not installable from the package index ($(tail -1 "$work/en_core_web_sm.log"))"
fi
"$venv/bin/pip" list 2>/dev/null | grep -iE '^(presidio-analyzer|presidio_analyzer|spacy) '

echo "== corpora"
"$generator" --seed 42 --bytes "$presidio_bytes" --out "$work/labelled.log" --labels "$work/labelled.jsonl"
"$generator" --seed 43 --bytes "$log_bytes" --phi-percent 2 --out "$work/logtext.log" --labels "$work/logtext.jsonl"
"$generator" --seed 44 --bytes "$log_bytes" --out "$work/dense.log" --labels "$work/dense.jsonl"

# Runs a command with its stdout in the file $1 and prints "WALL CPU": wall
# seconds, and user plus system CPU seconds. The machine may be shared, so
# per-core throughput is computed from CPU seconds; wall seconds are shown
# beside them. Exit status 1 (findings) counts as success.
timed() {
    local output="$1"
    shift
    /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" >"$output" || [ $? -eq 1 ]
    # GNU time writes a status line first when the exit status is not 0.
    tail -n 1 "$work/time.txt" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

mbps() { echo "scale=1; $1 / $2 / 1000000" | bc -l; }

report() {
    local label="$1" size="$2" wall="$3" cpu="$4"
    echo "$label: $size bytes, wall ${wall}s, CPU ${cpu}s = $(mbps "$size" "$cpu") MB/s per CPU second, $(mbps "$size" "$wall") MB/s wall"
}

echo "== phiguard, one thread (--threads 1), JSON report"
size_labelled=$(stat -c %s "$work/labelled.log")
size_log=$(stat -c %s "$work/logtext.log")
size_dense=$(stat -c %s "$work/dense.log")
read -r wall_labelled cpu_labelled < <(timed "$work/phiguard.json" "$phiguard" phi scan --threads 1 --format json "$work/labelled.log")
read -r wall_log cpu_log < <(timed /dev/null "$phiguard" phi scan --threads 1 --format json "$work/logtext.log")
read -r wall_dense cpu_dense < <(timed /dev/null "$phiguard" phi scan --threads 1 --format json "$work/dense.log")
read -r wall_all cpu_all < <(timed /dev/null "$phiguard" phi scan --format json "$work/logtext.log")
report "labelled corpus" "$size_labelled" "$wall_labelled" "$cpu_labelled"
report "log text, 2% of lines with PHI" "$size_log" "$wall_log" "$cpu_log"
report "dense corpus, most lines with PHI or near misses" "$size_dense" "$wall_dense" "$cpu_dense"
report "log text, all $(nproc) threads" "$size_log" "$wall_all" "$cpu_all"
echo "load average after the phiguard runs: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== Presidio, one process, one request per line"
"$venv/bin/python" "$repo/bench/presidio_run.py" "$work/labelled.log" >"$work/presidio.jsonl" 2>"$work/presidio.err"
grep -E '^(spacy_model|elapsed_seconds|cpu_seconds)=' "$work/presidio.err"
wall_presidio=$(sed -n 's/^elapsed_seconds=//p' "$work/presidio.err")
cpu_presidio=$(sed -n 's/^cpu_seconds=//p' "$work/presidio.err")
echo "Presidio on the labelled corpus: $size_labelled bytes, wall ${wall_presidio}s, CPU ${cpu_presidio}s = $(echo "scale=4; $size_labelled / $cpu_presidio / 1000000" | bc -l) MB/s per CPU second"

echo "== throughput ratios, per CPU second"
echo "phiguard on the labelled corpus / Presidio on it: $(echo "scale=0; $cpu_presidio / $cpu_labelled" | bc -l)x (phiguard's CPU time includes process start)"
echo "phiguard on log text / Presidio on the labelled corpus: $(echo "scale=0; ($size_log / $cpu_log) / ($size_labelled / $cpu_presidio)" | bc -l)x"

echo "== accuracy on the labelled corpus"
"$venv/bin/python" "$repo/bench/score.py" "$work/labelled.jsonl" "$work/phiguard.json" "$work/presidio.jsonl" "$threshold"
