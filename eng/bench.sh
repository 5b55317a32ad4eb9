#!/usr/bin/env bash
# Side-by-side benchmark harness: this project's engine (and its ML.NET trainer) against the perf anchors of
# shared/bench (PyTorch 1.13, OpenBLAS through numpy, scikit-learn) on the workloads of shared/bench/WORKLOADS.md.
# Each configuration runs in its own process; ours and the anchors alternate (ours, anchor, ours, anchor, ...) over
# rounds and every metric is the median over rounds. Prints a Markdown table and writes it, with a JSON copy, to
# artifacts/bench/bench-STAMP.{md,json} (raw per-process results and logs in artifacts/bench/run-STAMP/).
#
# Usage: eng/bench.sh [--quick] [--workloads W1,W1s,W5] [--rounds N] [--threads 1,2]
#                     [--torch-configs t2,t2p,t2b1] [--sklearn|--no-sklearn] [--no-anchors]
#        eng/bench.sh --profile [WORKLOAD]     where the time of a training step goes (default W1s), 1 and 2 threads
#   --quick  one round, torch 2-thread configs t2p and t2b1, GEMM n = 256 and 1024, no scikit-learn (< 5 minutes)
#   default  three rounds, torch t2/t2p/t2b1, GEMM n = 128..2048 with torch.mm, scikit-learn float32 (< 30 minutes)
# Environment: SHARED_DIR (default: ../shared beside the repository root, the folder holding bench/anchors;
#              ../../shared when that is missing, for worktrees one level deeper).
# Needs Debian's python3-torch python3-sklearn python3-numpy python3-threadpoolctl libopenblas0-pthread; missing
# ones are installed with apt-get. Run it on an otherwise idle machine: absolute numbers depend on the load.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SHARED_DIR:-}" ]]; then
    SHARED_DIR="$ROOT/../shared"
    # a git worktree one level deeper (e.g. wt/NAME beside main) finds the same folder one level up
    [[ -d "$SHARED_DIR/bench" || ! -d "$ROOT/../../shared/bench" ]] || SHARED_DIR="$ROOT/../../shared"
fi
PROJECT="$ROOT/test/Microsoft.ML.DeepExtensions.Benchmarks"
DLL="$PROJECT/bin/Release/net10.0/Microsoft.ML.DeepExtensions.Benchmarks.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

install_anchor_packages() {
    local missing=()
    for pkg in python3-torch python3-sklearn python3-numpy python3-threadpoolctl libopenblas0-pthread; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    (( ${#missing[@]} )) || return 0
    echo "Installing ${missing[*]} ..." >&2
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" apt-get install -y "${missing[@]}" >&2
}

echo "Building the benchmark runner ..." >&2
dotnet build "$PROJECT" -c Release -nologo -v quiet >&2

if [[ "${1:-}" == "--profile" ]]; then
    workload="${2:-W1s}"
    for threads in 1 2; do
        dotnet "$DLL" workload "$workload" --profile --threads "$threads"
    done
    exit 0
fi

if [[ " $* " != *" --no-anchors "* ]]; then
    if [[ ! -f "$SHARED_DIR/bench/anchors/bench_torch.py" ]]; then
        echo "error: $SHARED_DIR/bench/anchors/bench_torch.py not found; set SHARED_DIR to the folder holding bench/anchors." >&2
        exit 1
    fi
    install_anchor_packages
fi

label="$(git -C "$ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')@$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
mkdir -p "$ROOT/artifacts/bench"
exec dotnet "$DLL" bench --shared "$SHARED_DIR" --out "$ROOT/artifacts/bench" --label "$label" "$@"
