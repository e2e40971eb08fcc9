#!/bin/bash
# dlrun's bootstrap for one EC2 machine, staged in S3 and run as root by the user data stub, which deleted it from S3
# and shuts the machine down when this script ends. It fetches the job's secrets and workdir, runs the job wrapper
# (templates/bootstrap/job-wrapper.sh, embedded below) with the DLRUN_* variables, keeps the log and the phase
# markers uploaded while the job runs, and at the end uploads the outputs and the result. Every transfer goes
# through a presigned URL: the machine holds no AWS credentials.
#
# From the environment (tests set the first two; on EC2 only the stub's DLRUN_STARTED_MS is set):
#   DLRUN_ROOT         where the job lives (default /opt/dlrun)
#   DLRUN_IMDS_URL     the instance metadata service (default http://169.254.169.254)
#   DLRUN_STARTED_MS   when the job's time began (milliseconds since 1970), set by the stub
#
# The renderer puts the job's values and this machine's URLs here (single-quoted; `address_get_urls` is indexed by
# rank). The secrets and workdir URLs live only for the boot window; the others until the job's limit has passed.
#@DLRUN_INPUTS@

root=${DLRUN_ROOT:-/opt/dlrun}
imds=${DLRUN_IMDS_URL:-http://169.254.169.254}
started_ms=${DLRUN_STARTED_MS:-$(date +%s%3N)}
job_folder=$root/job
workdir=$root/workdir
output_dir=$workdir/$outputs_folder
log_file=$job_folder/output.log
markers_file=$job_folder/markers
# How long a node of a multi-node TensorFlow job waits for the others to publish their addresses.
rendezvous_seconds=900

# Root only: the presigned URLs, and whatever the job leaves in its folders, are nobody else's business.
umask 077
if ! mkdir -p "$job_folder" "$workdir" || ! chmod 700 "$root"; then
  echo "dlrun: cannot create $root" >&2
  exit 1
fi
: >> "$log_file"

# dlrun's own lines go to the job's log (what `dlrun logs` shows) and to the console (what EC2 keeps).
note() { printf 'dlrun: %s\n' "$*" | tee -a "$log_file" >&2; }

# Retried while the answer may change (timeouts, refused connections, HTTP 408/429/5xx), with backoff; an answer
# such as 403 (an expired URL) is final. A transfer stalled for a minute fails, and is retried.
transfer() {
  curl --silent --show-error --retry 6 --retry-connrefused --connect-timeout 10 --speed-limit 1 --speed-time 60 "$@"
}

# "HTTP 403", or "no answer" for curl's 000 (no connection, or none after the retries).
described() { if [ "$1" = 000 ]; then printf 'no answer'; else printf 'HTTP %s' "$1"; fi; }

# PUT a file to a presigned URL; fails unless S3 took it.
upload() {
  local file=$1 url=$2 status
  status=$(transfer --output /dev/null --write-out '%{http_code}' --upload-file "$file" "$url" 2>>"$log_file")
  case $status in
    2??) return 0 ;;
    *) note "the upload of $(basename "$file") failed ($(described "$status"))"; return 1 ;;
  esac
}

upload_progress() {
  upload "$log_file" "$log_url"
  if [ -f "$markers_file" ]; then upload "$markers_file" "$markers_url"; fi
}

# Runs in the background while the job runs, so `dlrun logs` and `dlrun status` follow it. Stopped with TERM, which
# ends the wait at once but never an upload half done: a late upload must not overwrite the final one.
upload_periodically() {
  local sleeper=''
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  while :; do
    sleep "$log_interval_seconds" &
    sleeper=$!
    wait "$sleeper"
    upload_progress
  done
}

uploader=''
stop_uploader() {
  if [ -n "$uploader" ]; then
    kill -TERM "$uploader" 2>/dev/null
    wait "$uploader" 2>/dev/null
    uploader=''
  fi
}

# The job wrapper writes these lines; the bootstrap adds only the teardown a stopped wrapper never reached.
marker() { printf '%s %s\n' "$(date +%s.%N)" "$*" >> "$markers_file"; }

# Every way through this script ends here: the outputs, the last of the log and markers, then the result, which
# tells dlrun that everything else is uploaded. The stub shuts the machine down when this script exits.
finish() {
  local state=$1 exit_code=$2 reason=$3 ended_at archive=$root/outputs.tar.gz
  ended_at=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  stop_uploader
  if [ -n "$outputs_url" ] && [ -d "$output_dir" ]; then
    if ! tar -czf "$archive" -C "$output_dir" . 2>>"$log_file" || ! upload "$archive" "$outputs_url"; then
      reason="$reason; the outputs could not be uploaded"
    fi
    rm -f "$archive"
  fi
  note "$reason"
  upload_progress
  # One line per value: a reason (from max_runtime's text, say) must not add lines of its own.
  printf 'state=%s\nexit_code=%s\nreason=%s\nended_at=%s\n' "$state" "$exit_code" "${reason//$'\n'/ }" "$ended_at" \
    > "$job_folder/result"
  upload "$job_folder/result" "$result_url" || note "the result could not be uploaded"
  if [ "$state" = succeeded ]; then exit 0; fi
  exit 1
}

# --- This machine's address: node 0's is the job's master address. ------------------------------------------------
imds_token() {
  transfer --fail --max-time 10 --request PUT --header 'X-aws-ec2-metadata-token-ttl-seconds: 21600' \
    "$imds/latest/api/token"
}
metadata() {
  transfer --fail --max-time 10 --header "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/$1"
}
address=''
if token=$(imds_token); then
  address=$(metadata local-ipv4)
fi
metadata_problem=''
if [ -z "$address" ]; then
  metadata_problem="could not read this machine's private address from the instance metadata"
fi
master=${master_address:-$address}

upload_periodically &
uploader=$!
if [ -n "$metadata_problem" ]; then finish failed '' "$metadata_problem"; fi
note "job $job_id: rank $rank of $node_count node(s), address $address"

# --- Secrets: read once and deleted at once, kept only in this shell's memory until the job's environment. --------
# Fetched first: the URL lives only for the boot window, and once the object is gone no copy of the URL leads to it.
secrets=''
if [ -n "$secrets_get_url" ]; then
  answer=$(transfer --write-out '\n%{http_code}' "$secrets_get_url" 2>>"$log_file")
  status=${answer##*$'\n'}
  if [ "$status" != 200 ]; then
    finish failed '' "could not fetch the job's secrets ($(described "$status"))"
  fi
  secrets=${answer%$'\n'*}
  answer=''
  status=$(transfer --output /dev/null --write-out '%{http_code}' --request DELETE "$secrets_delete_url" 2>>"$log_file")
  case $status in
    2??) ;;
    *) note "could not delete the job's secrets object ($(described "$status")); its URL expires with the boot window" ;;
  esac
fi

# --- The workdir. ------------------------------------------------------------------------------------------------
archive=$root/workdir.tar.gz
status=$(transfer --output "$archive" --write-out '%{http_code}' "$workdir_url" 2>>"$log_file")
if [ "$status" != 200 ]; then
  rm -f "$archive"
  finish failed '' "could not download the workdir ($(described "$status"))"
fi
# Files keep root as owner: the ids of the laptop they were packed on mean nothing here.
if ! tar -xzf "$archive" -C "$workdir" --no-same-owner 2>>"$log_file"; then
  rm -f "$archive"
  finish failed '' "could not unpack the workdir"
fi
rm -f "$archive"

# --- TF_CONFIG: TensorFlow wants every node's address, which only the nodes themselves know. Each publishes its own
# and reads the others' (node 0's is known already) through objects staged for this job. ------------------------
tf_config=''
if [ -n "$tensorflow" ]; then
  addresses=()
  if [ "$node_count" -gt 1 ]; then
    printf '%s' "$address" > "$job_folder/address"
    upload "$job_folder/address" "$address_put_url" || finish failed '' "could not publish this node's address"
  fi
  waited_from=$(date +%s)
  for ((other = 0; other < node_count; other++)); do
    if [ "$other" -eq "$rank" ]; then
      addresses+=("$address")
    elif [ "$other" -eq 0 ] && [ -n "$master_address" ]; then
      addresses+=("$master_address")
    else
      until answer=$(transfer --fail "${address_get_urls[other]}" 2>/dev/null) && [ -n "$answer" ]; do
        if [ $(($(date +%s) - waited_from)) -ge "$rendezvous_seconds" ]; then
          finish failed '' "node $other never published its address (waited ${rendezvous_seconds}s)"
        fi
        sleep 2
      done
      addresses+=("$answer")
    fi
  done
  workers=''
  for other_address in "${addresses[@]}"; do workers+="${workers:+,}\"$other_address:$master_port\""; done
  # The same text as src/backend/job-environment.ts writes for the other backends.
  tf_config="{\"cluster\":{\"worker\":[$workers]},\"task\":{\"type\":\"worker\",\"index\":$rank}}"
fi

# --- The job. ----------------------------------------------------------------------------------------------------
printf '%s' "$setup_script" > "$job_folder/setup.sh"
printf '%s' "$run_script" > "$job_folder/run.sh"
printf '%s' "$wrapper_script" > "$job_folder/job-wrapper.sh"

# Passed through `env`, never set in this shell: a job's PATH, or a name this script uses, must not change how it
# runs. Later values win, so the DLRUN_* variables beat a job's `env:`, as on every backend.
assignments=()
for index in "${!env_names[@]}"; do assignments+=("${env_names[index]}=${env_values[index]}"); done
assignments+=(
  "DLRUN_JOB_ID=$job_id" "DLRUN_BACKEND=ec2" "DLRUN_WORKDIR=$workdir" "DLRUN_OUTPUT_DIR=$output_dir"
  "DLRUN_NUM_NODES=$node_count" "DLRUN_NODE_RANK=$rank" "DLRUN_MASTER_ADDR=$master"
  "DLRUN_MASTER_PORT=$master_port" "DLRUN_GPUS_PER_NODE=$gpus_per_node" "DLRUN_JOB_DIR=$job_folder"
)
if [ -n "$tf_config" ]; then assignments+=("TF_CONFIG=$tf_config"); fi
# Full paths: `env` looks programs up in the job's PATH.
job_command=("$(command -v env)" "${assignments[@]}")

# The limit counts from the stub's start, not the job's: downloads and setup are billed time too.
limit_ms=''
if [ -n "$stop_after_seconds" ]; then
  limit_ms=$((stop_after_seconds * 1000 - ($(date +%s%3N) - started_ms)))
  if [ "$limit_ms" -le 0 ]; then
    finish timed_out '' "${stop_reason:-the time limit} reached before the job started"
  fi
  # TERM to every process of the job, then KILL for what is still there 10 seconds later (the local backend's grace).
  job_command+=("$(command -v timeout)" --kill-after=10 "$(printf '%d.%03d' $((limit_ms / 1000)) $((limit_ms % 1000)))")
fi
job_command+=("$(command -v bash)" "$job_folder/job-wrapper.sh")

job_started_ms=$(date +%s%3N)
# The secrets reach the job's environment only: exported in the subshell that becomes the job. (A secret named
# job_command would spoil the line after its export; secrets are upper-case names in practice.)
# The usual umask for the job: the files it installs elsewhere (pip into /usr/local, say) must stay readable, and its
# folders here are root's alone already.
(
  umask 022
  eval "$secrets"
  exec "${job_command[@]}"
) < /dev/null >> "$log_file" 2>&1
status=$?
secrets=''

# timeout(1) answers 124 (137 after the KILL); a job that exits 124 by itself before the limit is not timed out.
if [ -n "$limit_ms" ] && { [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; } &&
  [ $(($(date +%s%3N) - job_started_ms)) -ge "$limit_ms" ]; then
  tail -n 1 "$markers_file" 2>/dev/null | grep -q ' phase teardown$' || marker "phase teardown"
  finish timed_out "$status" "${stop_reason:-the time limit} reached; the job was stopped"
fi
if [ "$status" -eq 0 ]; then finish succeeded 0 "the job finished"; fi
setup_status=$(sed -n 's/^[0-9.]* setup-exit \([0-9]*\)$/\1/p' "$markers_file" 2>/dev/null)
if [ -n "$setup_status" ] && [ "$setup_status" != 0 ]; then
  finish failed "$status" "setup exited with status $setup_status"
fi
finish failed "$status" "the job exited with status $status"
