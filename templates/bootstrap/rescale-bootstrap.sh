#!/bin/bash
# dlrun's bootstrap for a Rescale job: the `command` of the job's one analysis (adapters/rescale/rescale-bootstrap.ts
# renders it as `exec bash -c '<this script>'`). Rescale runs the command with a shell on the job's first node, in
# the job's work directory, where it has put the input files; when the command ends it collects every file left in
# that directory as an output file of the job [S]. So this script:
#   - unpacks the workdir (an input file, DLRUN_BOOT_WORKDIR_FILE) into a folder OUTSIDE the work directory, and
#     deletes the archive from the work directory: neither is collected and stored (and billed) a second time;
#   - runs the job wrapper (job-wrapper.sh, embedded below: setup, run, phase markers) with the job's env and the
#     DLRUN_* variables, its output going to dlrun/output.log in the work directory (Rescale's live tailing shows the
#     work directory's files while the job runs [S]);
#   - at the end leaves in the work directory only dlrun/: output.log, markers, outputs.tar.gz (the job's outputs
#     folder) and, written last, result (state=, exit_code=, reason=, ended_at=: src/backend/job-result.ts);
#   - exits with the job's exit status (143 when stopped, 124/137 at the job's own limit, 1 when it never ran).
# The adapter replaces the line #@DLRUN_JOB_WRAPPER@ with job-wrapper.sh.
#
# From the environment (the analysis' envVars):
#   DLRUN_JOB_ID, DLRUN_GPUS_PER_NODE  passed on to the job as they are
#   DLRUN_NUM_NODES                    hardware.slots (see "More than one node" below)
#   DLRUN_BOOT_WORKDIR_FILE            the workdir's tar.gz, as the input file is named in the work directory
#   DLRUN_BOOT_SETUP, DLRUN_BOOT_RUN   the job's setup (may be empty) and run scripts, as text
#   DLRUN_BOOT_JOB_ENV                 the job's env as a JSON object. One variable rather than the names themselves:
#                                      a job's PATH (or LD_PRELOAD) must not change how this script runs. Decoded by
#                                      python3 (on Rescale's images [S]) into NAME=value pairs no shell parses.
#   DLRUN_BOOT_OUTPUTS                 the outputs folder, relative to the workdir (default outputs)
#   DLRUN_BOOT_STOP_AFTER_SECONDS      optional: the job's own limit (max_runtime, or max_cost at its hourly price),
#                                      counted from this script's start. Rescale's walltime is whole hours, so the
#   DLRUN_BOOT_STOP_REASON             limit stops the job here, to the millisecond: result state=timed_out. The
#                                      reason names the limit (e.g. "max_runtime 90m").
#   DLRUN_ROOT                         where the workdir is unpacked (default $HOME/dlrun-job; must be outside the
#                                      work directory; relative: to the work directory's parent). Tests set it.
#   The job's secrets                  other envVars the adapter adds: the job inherits this environment. No value
#                                      is ever written to the log or the result by this script.
#   RESCALE_API_KEY                    Rescale's, in every job [V]: not given to the job (it is the account's key; a
#                                      job that needs it names it in its secrets).
#
# More than one node: Rescale runs the command on the first node only [S], which reaches the others itself, as
# Rescale's own jobs do (mpirun with the hosts of $HOME/machinefile [S]). So the job runs here once, told the node
# count, rank 0 and this host as the master; starting it on every node is left to the job.

work_dir=$PWD
# The command starts in the work directory [V: providers.md 5.2]; some of Rescale's own examples `cd work/shared`
# first [S], so the archive is looked for there too.
if [ -n "${DLRUN_BOOT_WORKDIR_FILE:-}" ] && [ ! -e "$work_dir/$DLRUN_BOOT_WORKDIR_FILE" ] &&
  [ -e "${HOME:-/nonexistent}/work/shared/$DLRUN_BOOT_WORKDIR_FILE" ]; then
  work_dir=$HOME/work/shared
fi
root=${DLRUN_ROOT:-${HOME:-/tmp}/dlrun-job}
case $root in /*) ;; *) root=$(dirname "$work_dir")/$root ;; esac
job_folder=$root/job
workdir=$root/workdir
outputs_folder=${DLRUN_BOOT_OUTPUTS:-outputs}
output_dir=$workdir/$outputs_folder
results=$work_dir/dlrun
log_file=$results/output.log
markers_file=$results/markers
# Milliseconds since 1970 (bash 5's clock; date's on older shells).
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local now=${EPOCHREALTIME/,/.}
    printf '%s' "$((${now%.*} * 1000 + 10#${now#*.} / 1000))"
  else
    date +%s%3N
  fi
}
started_ms=$(now_ms)

# dlrun/ is read by Rescale's collector; the workdir and the job's scripts are this user's only.
umask 022
if ! mkdir -p "$results" || ! : >> "$log_file"; then
  echo "dlrun: cannot write to $results" >&2
  exit 1
fi
# A job Rescale runs again (a low-priority node taken back [U: whether the work directory is kept]) starts afresh: no
# result, outputs or phases of the run before. The log goes on.
rm -f -- "$results/result" "$results/result.part" "$results/outputs.tar.gz" "$results/outputs.tar.gz.part" \
  "$markers_file"
# dlrun's own lines go to the job's log (what `dlrun logs` shows) and to stderr (Rescale's process output).
note() { printf 'dlrun: %s\n' "$*" | tee -a "$log_file" >&2; }

# The job wrapper writes the markers; the bootstrap adds only the teardown a stopped wrapper never reached.
marker() { printf '%s %s\n' "$(date +%s.%N)" "$*" >> "$markers_file"; }

# What must not be collected: the unpacked workdir and the job's scripts (outside the work directory anyway), and
# the workdir's archive (in it). Only the folders this script made are removed.
clean_up() {
  if [ -n "${DLRUN_BOOT_WORKDIR_FILE:-}" ]; then rm -f -- "$work_dir/$DLRUN_BOOT_WORKDIR_FILE"; fi
  rm -rf -- "$workdir" "$job_folder" 2>/dev/null
  rmdir -- "$root" 2>/dev/null
}

# Every way through this script ends here: the outputs, the last note, then the result, which tells dlrun that
# everything else is in place. Exits with the job's status (1 without one).
finish() {
  local state=$1 exit_code=$2 reason=$3 ended_at archive=$results/outputs.tar.gz
  trap '' TERM
  ended_at=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  if [ -d "$output_dir" ]; then
    # Under another name until complete: a half-written archive is never taken for the outputs.
    if tar -czf "$archive.part" -C "$output_dir" . 2>>"$log_file" && mv -f "$archive.part" "$archive"; then :; else
      rm -f "$archive.part"
      reason="$reason; the outputs could not be archived"
    fi
  fi
  note "$reason"
  clean_up
  # One line per value: a reason (from the limit's text, say) must not add lines of its own.
  printf 'state=%s\nexit_code=%s\nreason=%s\nended_at=%s\n' "$state" "$exit_code" "${reason//$'\n'/ }" \
    "$ended_at" > "$results/result.part"
  mv -f "$results/result.part" "$results/result"
  if [ -n "$exit_code" ] && [ "$exit_code" != 0 ]; then exit "$exit_code"; fi
  if [ "$state" = succeeded ]; then exit 0; fi
  exit 1
}

# A stop before the job has started: nothing to stop but this script.
stop_reason="Rescale stopped the job (SIGTERM: a stop request, the walltime, or a low-priority node taken back)"
trap 'finish stopped 143 "$stop_reason"' TERM

note "job ${DLRUN_JOB_ID:-}: on $(hostname 2>/dev/null || echo 'this node'), work directory $work_dir"
nodes=${DLRUN_NUM_NODES:-1}
case $nodes in '' | *[!0-9]* | 0) finish failed '' "DLRUN_NUM_NODES must be a whole number of nodes, not '$nodes'" ;; esac
master=127.0.0.1
# The other nodes reach this one by its name; a job of one node talks to itself on loopback, as on every backend.
if [ "$nodes" != 1 ]; then master=$(hostname 2>/dev/null || echo 127.0.0.1); fi
if [ -z "${DLRUN_BOOT_WORKDIR_FILE:-}" ]; then finish failed '' "DLRUN_BOOT_WORKDIR_FILE is not set"; fi
case $DLRUN_BOOT_WORKDIR_FILE in
  */* | . | ..) finish failed '' "DLRUN_BOOT_WORKDIR_FILE must be a file name, not a path" ;;
esac
case $root/ in
  "$work_dir"/*) finish failed '' "DLRUN_ROOT ($root) must be outside the work directory, which Rescale collects" ;;
esac
if ! command -v python3 > /dev/null; then
  finish failed '' "python3 is not on this node's PATH (it reads the job's env)"
fi

# --- The workdir. ------------------------------------------------------------------------------------------------
umask 077
rm -rf -- "$workdir" "$job_folder" 2>/dev/null
if ! mkdir -p "$job_folder" "$workdir" || ! chmod 700 "$root"; then finish failed '' "cannot create $root"; fi
archive=$work_dir/$DLRUN_BOOT_WORKDIR_FILE
if [ ! -f "$archive" ]; then
  # Rescale unpacks an input file sent with decompress: true [S]; the adapter sends the archive as it is.
  finish failed '' "the workdir's archive $DLRUN_BOOT_WORKDIR_FILE is not in the work directory"
fi
# Files keep this user as owner: the ids of the laptop they were packed on mean nothing here.
if ! tar -xzf "$archive" -C "$workdir" --no-same-owner 2>>"$log_file"; then
  finish failed '' "could not unpack the workdir ($DLRUN_BOOT_WORKDIR_FILE)"
fi
rm -f -- "$archive"

# --- The job. ----------------------------------------------------------------------------------------------------
printf '%s' "${DLRUN_BOOT_SETUP:-}" > "$job_folder/setup.sh"
printf '%s' "${DLRUN_BOOT_RUN:-}" > "$job_folder/run.sh"
cat > "$job_folder/job-wrapper.sh" <<'DLRUN_JOB_WRAPPER_END'
#@DLRUN_JOB_WRAPPER@
DLRUN_JOB_WRAPPER_END
# The wrapper writes DLRUN_JOB_DIR/markers: a link to the one in the work directory, which Rescale collects.
ln -sf "$markers_file" "$job_folder/markers"

# The job's env as NUL-separated NAME=value (bytes: a value in any script whatever the node's locale). The message
# names no value, nor JSON's own error, which may quote the text.
job_env_reader=$(cat <<'PYTHON'
import json, os, re, sys
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
try:
    values = json.loads(os.environ.get("DLRUN_BOOT_JOB_ENV") or "{}")
    if not isinstance(values, dict):
        raise ValueError()
    for name, value in values.items():
        if not isinstance(value, str) or "\0" in value or not NAME.match(name):
            raise ValueError()
except ValueError:
    sys.stderr.write("DLRUN_BOOT_JOB_ENV is not a JSON object of variable names and text values\n")
    sys.exit(1)
for name, value in values.items():
    sys.stdout.buffer.write(("%s=%s\0" % (name, value)).encode("utf-8", "surrogatepass"))
PYTHON
)
assignments=()
if ! mapfile -d '' assignments < <(python3 -c "$job_env_reader" 2>"$job_folder/job-env.err") || ! wait "$!"; then
  finish failed '' "$(tail -n 1 "$job_folder/job-env.err")"
fi
# Later values win, so the DLRUN_* variables beat a job's `env:`, as on every backend.
assignments+=(
  "DLRUN_JOB_ID=${DLRUN_JOB_ID:-}" "DLRUN_BACKEND=rescale" "DLRUN_WORKDIR=$workdir" "DLRUN_OUTPUT_DIR=$output_dir"
  "DLRUN_NUM_NODES=$nodes" "DLRUN_NODE_RANK=0" "DLRUN_MASTER_ADDR=$master" "DLRUN_MASTER_PORT=29500"
  "DLRUN_GPUS_PER_NODE=${DLRUN_GPUS_PER_NODE:-0}" "DLRUN_JOB_DIR=$job_folder"
)
# The bootstrap's own inputs are not the job's business; full paths, as `env` looks programs up in the job's PATH.
job_command=("$(command -v env)" -u RESCALE_API_KEY)
for name in $(compgen -e); do
  case $name in DLRUN_BOOT_* | DLRUN_ROOT) job_command+=(-u "$name") ;; esac
done
job_command+=("${assignments[@]}")

# The job's own limit, to the millisecond (Rescale's walltime is whole hours, rounded up): TERM to the job, KILL for what
# is left 10 seconds later. The time since this script began (the unpacking) counts: it is billed too.
limit=''
if [ -n "${DLRUN_BOOT_STOP_AFTER_SECONDS:-}" ]; then
  if ! [[ $DLRUN_BOOT_STOP_AFTER_SECONDS =~ ^[0-9]+$ ]]; then
    finish failed '' "DLRUN_BOOT_STOP_AFTER_SECONDS is not a whole number of seconds"
  fi
  if ! command -v timeout > /dev/null; then finish failed '' "timeout(1) is not on this node's PATH"; fi
  limit_ms=$((DLRUN_BOOT_STOP_AFTER_SECONDS * 1000 - ($(now_ms) - started_ms)))
  if [ "$limit_ms" -le 0 ]; then
    finish timed_out '' "${DLRUN_BOOT_STOP_REASON:-the time limit} reached before the job started"
  fi
  limit=$(printf '%d.%03d' $((limit_ms / 1000)) $((limit_ms % 1000)))
  job_command+=("$(command -v timeout)" --kill-after=10 "$limit")
fi
job_command+=("$(command -v bash)" "$job_folder/job-wrapper.sh")

# A stop reaches this shell as SIGTERM [U: to the command's process, or its group]. The job runs in the background,
# in a process group of its own (set -m), so the TERM is passed on to all of it; what still runs 10 s later is killed.
# The trap is set before the job starts: a TERM in between must not leave the job running unstopped.
stopped='' killer='' job_pid=''
# shellcheck disable=SC2317 # run by the TERM trap
stop_job() {
  stopped=yes
  if [ -n "$job_pid" ] && [ -z "$killer" ]; then
    kill -TERM -- "-$job_pid" 2>/dev/null
    (sleep 10 && kill -KILL -- "-$job_pid") > /dev/null 2>&1 &
    killer=$!
  fi
}
trap stop_job TERM
job_started_ms=$(now_ms)
set -m
(
  umask 022
  exec "${job_command[@]}"
) < /dev/null >> "$log_file" 2>&1 &
job_pid=$!
set +m
if [ -n "$stopped" ]; then stop_job; fi
wait "$job_pid"
status=$?
# A TERM ends the first wait at once (status 143): the second gives the job's own status.
if [ -n "$stopped" ]; then
  wait "$job_pid"
  status=$?
  if [ -n "$killer" ]; then kill "$killer" 2>/dev/null; fi
fi

if [ -n "$stopped" ]; then
  tail -n 1 "$markers_file" 2>/dev/null | grep -q ' phase teardown$' || marker "phase teardown"
  finish stopped 143 "$stop_reason"
fi
# timeout(1) answers 124 (137 after the KILL); a job that exits 124 by itself before the limit is not timed out.
if [ -n "$limit" ] && { [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; } &&
  [ $(($(now_ms) - job_started_ms)) -ge "$limit_ms" ]; then
  tail -n 1 "$markers_file" 2>/dev/null | grep -q ' phase teardown$' || marker "phase teardown"
  finish timed_out "$status" "${DLRUN_BOOT_STOP_REASON:-the time limit} reached; the job was stopped"
fi
if [ "$status" -eq 0 ]; then finish succeeded 0 "the job finished"; fi
setup_status=$(sed -n 's/^[0-9.]* setup-exit \([0-9]*\)$/\1/p' "$markers_file" 2>/dev/null)
if [ -n "$setup_status" ] && [ "$setup_status" != 0 ]; then
  finish failed "$status" "setup exited with status $setup_status"
fi
finish failed "$status" "the job exited with status $status"
