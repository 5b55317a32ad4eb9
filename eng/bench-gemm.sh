#!/usr/bin/env bash
# GEMM (workload W5 of shared/bench/WORKLOADS.md) side by side, in one sitting:
# our Gemm through BenchmarkDotNet (GemmBenchmarks) and OpenBLAS sgemm through numpy
# (shared/bench/anchors/bench_numpy.py, AVX-512 kernel), at 1 and 2 threads.
# The two alternate (ours t1, OpenBLAS t1, ours t2, OpenBLAS t2) for GEMM_BENCH_ROUNDS rounds and
# each side keeps its best round, so a burst of load from other processes does not decide the ratio.
# Prints a Markdown table: size, threads, ours GFLOP/s, OpenBLAS GFLOP/s, ratio.
#
# Usage: eng/bench-gemm.sh
# Environment: SHARED_DIR (default: ../shared next to the repository root),
#              GEMM_BENCH_ROUNDS (default 2), GEMM_BENCH_ITERATIONS (BenchmarkDotNet iterations per case, default 10).
# Needs the Debian packages python3-numpy python3-threadpoolctl libopenblas0-pthread
# (installed with apt-get when missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED_DIR="${SHARED_DIR:-$ROOT/../shared}"
ROUNDS="${GEMM_BENCH_ROUNDS:-2}"
ANCHOR="$SHARED_DIR/bench/anchors/bench_numpy.py"
if [[ ! -f "$ANCHOR" ]]; then
    echo "error: $ANCHOR not found; point SHARED_DIR at the shared folder (the one holding bench/anchors)." >&2
    exit 1
fi

missing=()
for pkg in python3-numpy python3-threadpoolctl libopenblas0-pthread; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
    echo "Installing ${missing[*]} ..." >&2
    apt-get update >&2
    apt-get install -y "${missing[@]}" >&2
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "load before: $(uptime)" >&2

dotnet build "$ROOT/test/Microsoft.ML.DeepExtensions.Benchmarks" -c Release -nologo -v quiet >&2
BENCH="$ROOT/test/Microsoft.ML.DeepExtensions.Benchmarks/bin/Release/net10.0/Microsoft.ML.DeepExtensions.Benchmarks.dll"

for round in $(seq 1 "$ROUNDS"); do
    for threads in 1 2; do
        echo "round $round, $threads thread(s): ours ..." >&2
        (cd "$OUT" && GEMM_BENCH_THREADS="$threads" dotnet "$BENCH" --filter '*GemmBenchmarks*' \
            --artifacts "$OUT/bdn-r$round-t$threads" >"$OUT/bdn-r$round-t$threads.log" 2>&1)
        echo "round $round, $threads thread(s): OpenBLAS ..." >&2
        # The machine's environment pins OpenBLAS to its AVX2 kernels; unset that for the strongest anchor.
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ANCHOR" --threads "$threads" \
            --out "$OUT/openblas-r$round-t$threads.json" >/dev/null
    done
done
echo "load after: $(uptime)" >&2

/usr/bin/python3 - "$OUT" <<'PY'
import csv, glob, json, sys
out = sys.argv[1]
ours, blas = {}, {}
for path in glob.glob(f"{out}/bdn-*/results/*GemmBenchmarks-report.csv"):
    for row in csv.DictReader(open(path, encoding="utf-8")):
        key = (int(row["N"]), int(row["Threads"]))
        ours[key] = max(ours.get(key, 0.0), float(row["GFLOP/s"]))
for path in glob.glob(f"{out}/openblas-*.json"):
    res = json.load(open(path))
    for n, r in res["gemm"].items():
        key = (int(n), int(res["threads"]))
        blas[key] = max(blas.get(key, 0.0), r["gflops"])
print("| size | threads | ours GFLOP/s | OpenBLAS GFLOP/s | ratio |")
print("|---:|---:|---:|---:|---:|")
fmt = lambda v: f"{v:.1f}" if v else "-"
for key in sorted(set(ours) | set(blas), key=lambda k: (k[1], k[0])):
    o, b = ours.get(key), blas.get(key)
    ratio = f"{o / b:.2f}" if o and b else "-"
    print(f"| {key[0]} | {key[1]} | {fmt(o)} | {fmt(b)} | {ratio} |")
PY
