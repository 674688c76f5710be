#!/usr/bin/env bash
# The process settings of EngineProcess (docs/engine.md, "Threading"): mlus re-executes itself once with
# GOMP_SPINCOUNT=2000 unless the user chose an OpenMP wait policy; stdin and arguments survive the re-exec.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
fail() { echo "engine_process: FAIL: $*"; exit 1; }
probe='import os
import sys
print(os.environ.get("GOMP_SPINCOUNT"), os.environ.get("OMP_WAIT_POLICY"), sys.argv[1:])'
got=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u MLUS_THREAD_POLICY_APPLIED -u MLUS_THREAD_POLICY "$mlus" -c "$probe" a b)
[ "$got" = "2000 None ['a', 'b']" ] || fail "default policy: got '$got'"
got=$(env -u GOMP_SPINCOUNT -u MLUS_THREAD_POLICY_APPLIED OMP_WAIT_POLICY=active "$mlus" -c "$probe")
[ "$got" = "None active []" ] || fail "user's OMP_WAIT_POLICY must win: got '$got'"
got=$(env -u OMP_WAIT_POLICY -u MLUS_THREAD_POLICY_APPLIED GOMP_SPINCOUNT=7 "$mlus" -c "$probe")
[ "$got" = "7 None []" ] || fail "user's GOMP_SPINCOUNT must win: got '$got'"
got=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u MLUS_THREAD_POLICY_APPLIED MLUS_THREAD_POLICY=default "$mlus" -c "$probe")
[ "$got" = "None None []" ] || fail "MLUS_THREAD_POLICY=default must keep libgomp's policy: got '$got'"
got=$(printf 'import os\nprint("stdin", os.environ.get("GOMP_SPINCOUNT"))\n' | env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u MLUS_THREAD_POLICY_APPLIED "$mlus" -)
[ "$got" = "stdin 2000" ] || fail "script from stdin across the re-exec: got '$got'"
echo "engine_process: ok"
