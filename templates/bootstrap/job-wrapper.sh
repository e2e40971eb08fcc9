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
  local dlrun_phase=$1 dlrun_script=$2 dlrun_step_exit
  marker "phase $dlrun_phase"
  bash --noprofile --norc -eo pipefail "$dlrun_script"
  dlrun_step_exit=$?
  marker "$dlrun_phase-exit $dlrun_step_exit"
  return "$dlrun_step_exit"
}

# dlrun_ names: a job's env: may export any plain name (status, phase ...), which the scripts must see unchanged.
dlrun_exit=0
if [ -s "$DLRUN_JOB_DIR/setup.sh" ]; then
  run_script setup "$DLRUN_JOB_DIR/setup.sh" || dlrun_exit=$?
fi
if [ "$dlrun_exit" -eq 0 ]; then
  run_script run "$DLRUN_JOB_DIR/run.sh" || dlrun_exit=$?
fi
marker "phase teardown"
exit "$dlrun_exit"
