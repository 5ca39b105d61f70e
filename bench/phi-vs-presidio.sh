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

# Prints the wall time of a command in seconds; output goes to the file in $1.
timed() {
    local output="$1"
    shift
    local started ended
    started=$(date +%s.%N)
    "$@" >"$output" || [ $? -eq 1 ]
    ended=$(date +%s.%N)
    echo "$ended - $started" | bc -l
}

mbps() { echo "scale=1; $1 / $2 / 1000000" | bc -l; }

echo "== phiguard, one thread"
size_labelled=$(stat -c %s "$work/labelled.log")
size_log=$(stat -c %s "$work/logtext.log")
size_dense=$(stat -c %s "$work/dense.log")
t_labelled=$(timed "$work/phiguard.json" "$phiguard" phi scan --threads 1 --format json "$work/labelled.log")
t_log=$(timed /dev/null "$phiguard" phi scan --threads 1 --format json "$work/logtext.log")
t_dense=$(timed /dev/null "$phiguard" phi scan --threads 1 --format json "$work/dense.log")
t_log_all=$(timed /dev/null "$phiguard" phi scan --format json "$work/logtext.log")
echo "labelled corpus ($size_labelled bytes): ${t_labelled}s"
echo "log text, 2% of lines with PHI ($size_log bytes): ${t_log}s = $(mbps "$size_log" "$t_log") MB/s per core"
echo "dense corpus ($size_dense bytes): ${t_dense}s = $(mbps "$size_dense" "$t_dense") MB/s per core"
echo "log text, all $(nproc) cores: ${t_log_all}s = $(mbps "$size_log" "$t_log_all") MB/s"

echo "== Presidio, one process (one core)"
"$venv/bin/python" "$repo/bench/presidio_run.py" "$work/labelled.log" >"$work/presidio.jsonl" 2>"$work/presidio.err"
cat "$work/presidio.err" | grep -E '^(spacy_model|elapsed_seconds)='
t_presidio=$(sed -n 's/^elapsed_seconds=//p' "$work/presidio.err")
echo "Presidio on the labelled corpus: ${t_presidio}s = $(echo "scale=4; $size_labelled / $t_presidio / 1000000" | bc -l) MB/s"

echo "== throughput ratio (same labelled corpus, one core each)"
echo "phiguard / Presidio: $(echo "scale=0; $t_presidio / $t_labelled" | bc -l)x (phiguard time includes process start)"
echo "phiguard on log text / Presidio: $(echo "scale=0; ($size_log / $t_log) / ($size_labelled / $t_presidio)" | bc -l)x"

echo "== accuracy on the labelled corpus"
"$venv/bin/python" "$repo/bench/score.py" "$work/labelled.jsonl" "$work/phiguard.json" "$work/presidio.jsonl" "$threshold"
