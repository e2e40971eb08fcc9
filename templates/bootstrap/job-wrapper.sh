#!/usr/bin/env bash
# dlrun job wrapper: runs the job's setup, then its run, in the shipped workdir, and writes phase markers
# ("<seconds since 1970> phase setup", "... setup-exit 0", ...) that dlrun turns into elapsed time per phase.
# Every backend runs this same wrapper; a backend's bootstrap adds its own staging and shutdown around it.
#
# Reads from the environment: DLRUN_JOB_DIR (setup.sh, run.sh, markers), DLRUN_WORKDIR, DLRUN_OUTPUT_DIR.
# Exits with the exit status of the first script that failed, or 0.

now() {
  # bash 5 has a clock with microseconds; older shells fall back to whole seconds.
  if [ -n "${EPOCHREALTIME:-}" ]; then printf '%s' "${EPOCHREALTIME/,/.}"; else date +%s; fi
}
marker() { printf '%s %s\n' "$(now)" "$*" >> "$DLRUN_JOB_DIR/markers"; }

if ! cd "$DLRUN_WORKDIR" 2>/dev/null; then
  echo "dlrun: the workdir $DLRUN_WORKDIR is gone" >&2
  marker "error workdir-missing"
  exit 66
fi
mkdir -p "$DLRUN_OUTPUT_DIR"

# Each script runs as CI systems run steps: bash without profiles, stopping at the first failing command
# (-e) and at a failure anywhere in a pipeline (-o pipefail).
run_script() {
  local phase=$1 script=$2 status
  marker "phase $phase"
  bash --noprofile --norc -eo pipefail "$script"
  status=$?
  marker "$phase-exit $status"
  return "$status"
}

status=0
if [ -s "$DLRUN_JOB_DIR/setup.sh" ]; then
  run_script setup "$DLRUN_JOB_DIR/setup.sh" || status=$?
fi
if [ "$status" -eq 0 ]; then
  run_script run "$DLRUN_JOB_DIR/run.sh" || status=$?
fi
marker "phase teardown"
exit "$status"
