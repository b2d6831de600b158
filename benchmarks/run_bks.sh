#!/usr/bin/env bash
# Best-known-solution benchmark of prodsched beside the plain CP-SAT model.
#
#   benchmarks/run_bks.sh full   [OUT]   # the target runs: many hours (about 11 h on 2 cores)
#   benchmarks/run_bks.sh sample [OUT]   # a representative sample: about 20 minutes
#
# full:   JSSP la01-la40 + ta01-ta50, FJSP mk01-mk10, SDST-PFSP 20- and 50-job instances
#         (ta001-ta060) of all four setup ratios; 60 s per instance and model, 2 workers.
# sample: la01-la05, ta01-ta02, ta21, ta31, ta41, mk01-mk03 and eight SDST instances
#         (20 and 50 jobs, every ratio), 30 s per instance and model, 2 workers.
#
# Results go to OUT (default benchmarks/results/bks-full or bks-sample): results.csv (one row
# per instance and model, rows accumulate) and summary.md (date, commit, versions, machine,
# a table per set). Runs resume: rerunning skips instance and model pairs already in
# results.csv, so an interrupted full run can simply be started again.
#
# Environment: PRODSCHED_BENCHMARKS (the benchmark folder, default /work/shared/benchmarks),
# TIME_LIMIT and WORKERS override the per-mode defaults.
set -euo pipefail

mode=${1:-sample}
here=$(cd "$(dirname "$0")" && pwd)
export PRODSCHED_BENCHMARKS=${PRODSCHED_BENCHMARKS:-/work/shared/benchmarks}

case "$mode" in
  full)
    out=${2:-$here/results/bks-full}
    limit=${TIME_LIMIT:-60}
    label="Full run: JSSP la01-la40 + ta01-ta50, FJSP mk01-mk10, SDST-PFSP 20/50 jobs"
    jssp='la*,ta0[1-9],ta[1-4]?,ta50'
    fjsp='mk*'
    sdst='SDST*_ta0[0-5]?,SDST*_ta060'
    ;;
  sample)
    out=${2:-$here/results/bks-sample}
    limit=${TIME_LIMIT:-30}
    label="SAMPLE ONLY (not the full target run): la01-la05, ta01-ta02, ta21, ta31, ta41, mk01-mk03, 8 SDST-PFSP instances"
    jssp='la0[1-5],ta0[12],ta21,ta31,ta41'
    fjsp='mk0[1-3]'
    sdst='SDST10_ta001,SDST125_ta006,SDST50_ta011,SDST100_ta021,SDST125_ta031,SDST10_ta041,SDST50_ta051,SDST100_ta056'
    ;;
  *)
    echo "usage: $0 full|sample [OUT]" >&2
    exit 2
    ;;
esac

workers=${WORKERS:-2}
for set_and_pattern in "jssp:$jssp" "fjsp:$fjsp" "sdst_pfsp:$sdst"; do
  set_name=${set_and_pattern%%:*}
  pattern=${set_and_pattern#*:}
  prodsched bench-bks "$set_name" --instances "$pattern" --time-limit "$limit" \
    --workers "$workers" --models prodsched,plain --out "$out" --resume --label "$label"
done
echo "summary: $out/summary.md"
