#!/bin/bash
# dlrun's bootstrap for one replica of a Vertex AI custom job, run in the container as `bash -c` (the adapter puts
# it in containerSpec.command, its inputs in containerSpec.env). It derives the DLRUN_* cluster variables from
# CLUSTER_SPEC (vertex-cluster-env.sh, embedded below), fetches the workdir from the staging bucket, runs the job
# wrapper (job-wrapper.sh, embedded below) and keeps the log and the phase markers uploaded while the job runs. At the
# end node 0 uploads the outputs and then the result; the container exits with the job's exit status, so Vertex AI
# marks the job FAILED when it is not 0 (143, with a `stopped` result, when Vertex stopped the container).
# The adapter replaces the lines #@DLRUN_CLUSTER_ENV@ and #@DLRUN_JOB_WRAPPER@ with those two files.
#
# Every transfer goes through one python3 helper (below): the prebuilt training images have python3 (the cluster
# script needs it too), while curl and gsutil are not promised. It reads an access token of the job's service account
# from the metadata server, refreshes it before it expires, and retries 408/429/5xx answers and lost connections
# with backoff, a bounded number of times. The token stays in this container (a file only its user reads, never
# uploaded).
#
# From the environment (containerSpec.env):
#   DLRUN_JOB_ID, DLRUN_GPUS_PER_NODE   passed on to the job as they are
#   DLRUN_BOOT_BUCKET                  the staging bucket's name (of backends.vertex.staging_bucket, gs://bucket/prefix)
#   DLRUN_BOOT_WORKDIR_OBJECT          the object name of the workdir's tar.gz
#   DLRUN_BOOT_NODES_PREFIX            node N's objects are {prefix}/N/output.log, markers; node 0's also result and
#                                      outputs.tar.gz. (A prefix, not names: every replica of a pool gets the same env.)
#   DLRUN_BOOT_SETUP, DLRUN_BOOT_RUN   the job's setup (may be empty) and run scripts, as text
#   DLRUN_BOOT_JOB_ENV                 the job's env: as a JSON object. One variable rather than the names themselves,
#                                      as on EC2: a job's PATH (or LD_PRELOAD) must not change how this script runs.
#   DLRUN_BOOT_SECRETS_OBJECT          when the job has secrets: the object name of their JSON (name -> value), read
#                                      before the job starts and given to it as variables; never logged, its local
#                                      copy deleted at once. A job whose secrets cannot be read does not run.
#   DLRUN_BOOT_OUTPUTS                 the outputs folder, relative to the workdir (default outputs)
#   DLRUN_BOOT_LOG_INTERVAL            seconds between uploads of the log and markers while the job runs (default 30)
#   DLRUN_GCS_URL                      the Cloud Storage JSON API root (default https://storage.googleapis.com)
#   DLRUN_METADATA_URL                 the metadata server (default http://metadata.google.internal); tests set both
#   DLRUN_ROOT                         where the job lives in the container (default /tmp/dlrun; relative: to $PWD)
#   DLRUN_BOOT_RETRY_SECONDS           the first wait before a retry, doubled each time (default 1; tests set less)
# No secret comes in containerSpec.env: it is part of the job's request body, which Vertex AI keeps and shows. Only
# the name of the secrets object does.

root=${DLRUN_ROOT:-/tmp/dlrun}
# A relative root is the container's working directory's (replicas sharing a machine, as in the tests).
case $root in /*) ;; *) root=$PWD/$root ;; esac
job_folder=$root/job
workdir=$root/workdir
log_file=$job_folder/output.log
markers_file=$job_folder/markers
outputs_folder=${DLRUN_BOOT_OUTPUTS:-outputs}
output_dir=$workdir/$outputs_folder
log_interval_seconds=${DLRUN_BOOT_LOG_INTERVAL:-30}
export DLRUN_BOOT_TOKEN_FILE=$job_folder/.access-token

umask 077
if ! mkdir -p "$job_folder" "$workdir" || ! chmod 700 "$root"; then
  echo "dlrun: cannot create $root" >&2
  exit 1
fi
: >> "$log_file"

# dlrun's own lines go to the job's log (what `dlrun logs` shows) and to the container's stderr (Cloud Logging).
note() { printf 'dlrun: %s\n' "$*" | tee -a "$log_file" >&2; }

# --- The transfer helper: `gcs get NAME FILE`, `gcs put FILE NAME`, `gcs job-env [SECRETS_FILE]` (NUL-separated
# NAME=value: the job's env, then its secrets; no value is ever seen by this shell's parser). ---------------------
gcs_helper=$(cat <<'PYTHON'
import json, os, re, shutil, sys, tempfile, time, urllib.error, urllib.parse, urllib.request

GCS = os.environ.get("DLRUN_GCS_URL", "https://storage.googleapis.com").rstrip("/")
METADATA = os.environ.get("DLRUN_METADATA_URL", "http://metadata.google.internal").rstrip("/")
BUCKET = os.environ.get("DLRUN_BOOT_BUCKET", "")
TOKEN_FILE = os.environ["DLRUN_BOOT_TOKEN_FILE"]
ATTEMPTS = 7  # waits of 1, 2, 4, 8, 16, 30 s between them: about a minute of trouble is ridden out
FIRST_WAIT = float(os.environ.get("DLRUN_BOOT_RETRY_SECONDS") or 1)
MARGIN = 300  # a token is replaced when it has less than this many seconds left (metadata tokens last about 1 h)
# The metadata server is reached directly; Cloud Storage through a proxy when the container names one.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
OPENER = urllib.request.build_opener()

class Final(Exception):
    pass

def attempt(opener, make, consume=lambda answer: answer.read(), timeout=60):
    """consume(answer) of a 2xx answer to the request make() builds afresh for each try. Retried while the answer may
    change (408, 429, 5xx, no answer, an answer cut short), with backoff; Final when not 2xx."""
    for number in range(ATTEMPTS):
        try:
            with opener.open(make(), timeout=timeout) as answer:
                return consume(answer)
        except urllib.error.HTTPError as error:
            status = error.code
            if status not in (408, 429) and status < 500:
                raise Final("HTTP %d" % status)
            why = "HTTP %d" % status
        except (urllib.error.URLError, OSError) as error:
            why = "no answer (%s)" % getattr(error, "reason", error)
        if number + 1 == ATTEMPTS:
            raise Final(why + ", %d attempts" % ATTEMPTS)
        time.sleep(min(30 * FIRST_WAIT, FIRST_WAIT * 2 ** number))

def fetch_token():
    url = METADATA + "/computeMetadata/v1/instance/service-accounts/default/token"
    answer = json.loads(attempt(DIRECT, lambda: urllib.request.Request(url, headers={"Metadata-Flavor": "Google"}),
                                timeout=10))
    token = {"access_token": answer["access_token"], "expires_at": time.time() + int(answer.get("expires_in", 0))}
    handle, name = tempfile.mkstemp(dir=os.path.dirname(TOKEN_FILE))
    with os.fdopen(handle, "w") as file:
        json.dump(token, file)
    os.replace(name, TOKEN_FILE)
    return token["access_token"]

def token(renew=False):
    if not renew:
        try:
            with open(TOKEN_FILE) as file:
                cached = json.load(file)
            if cached["expires_at"] - time.time() > MARGIN:
                return cached["access_token"]
        except (OSError, ValueError, KeyError):
            pass
    try:
        return fetch_token()
    except (Final, ValueError, KeyError) as error:
        raise Final("no access token from the metadata server (%s)" % error)

def call(make, consume):
    """A Cloud Storage request; a 401 (a token revoked or expired early) is tried once more with a new token."""
    try:
        bearer = token()
        return attempt(OPENER, lambda: make(bearer), consume)
    except Final as error:
        if not str(error).startswith("HTTP 401"):
            raise
        bearer = token(renew=True)
        return attempt(OPENER, lambda: make(bearer), consume)

def object_url(family, name):
    bucket = urllib.parse.quote(BUCKET, safe="")
    if family == "upload":
        return "%s/upload/storage/v1/b/%s/o?uploadType=media&name=%s" % (GCS, bucket, urllib.parse.quote(name, safe=""))
    return "%s/storage/v1/b/%s/o/%s?alt=media" % (GCS, bucket, urllib.parse.quote(name, safe=""))

# Both directions stream: a workdir or an outputs archive may be larger than the container's memory.
def get(name, path):
    def consume(answer):
        with open(path, "wb") as file:
            shutil.copyfileobj(answer, file, 1 << 20)
    url = object_url("download", name)
    call(lambda bearer: urllib.request.Request(url, headers={"Authorization": "Bearer " + bearer}), consume)

# One request per upload (uploadType=media): the log, the markers and the result are small, and an outputs archive
# that fails half way is sent again whole.
def put(path, name):
    size = os.path.getsize(path)
    url = object_url("upload", name)
    with open(path, "rb") as body:
        def make(bearer):
            body.seek(0)
            headers = {"Authorization": "Bearer " + bearer, "Content-Type": "application/octet-stream",
                       "Content-Length": str(size)}
            return urllib.request.Request(url, data=body, method="POST", headers=headers)
        call(make, lambda answer: answer.read())

VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

def names_and_values(text):
    """A JSON object of variable names and text values without NUL (which would end one NAME=value early)."""
    values = json.loads(text)
    if not isinstance(values, dict):
        raise ValueError("not an object")
    for name, value in values.items():
        if not isinstance(value, str) or "\0" in value or not VARIABLE.match(name):
            raise ValueError("not a variable name and a text value")
    return list(values.items())

def job_env(secrets_path=""):
    try:
        pairs = names_and_values(os.environ.get("DLRUN_BOOT_JOB_ENV") or "{}")
    except ValueError:
        raise Final("DLRUN_BOOT_JOB_ENV is not a JSON object of names and values")
    if secrets_path:
        # The message names no value (nor the name, nor JSON's own error, which may quote the text): it goes to the log.
        try:
            with open(secrets_path, encoding="utf-8") as file:
                pairs += names_and_values(file.read())
        except (OSError, ValueError):
            raise Final("the secrets object is not a JSON object of variable names and values")
    # Bytes, not text: a value in any script whatever the container's locale.
    for name, value in pairs:
        sys.stdout.buffer.write(("%s=%s\0" % (name, value)).encode("utf-8", "surrogatepass"))

try:
    command = sys.argv[1]
    if command == "get":
        get(sys.argv[2], sys.argv[3])
    elif command == "put":
        put(sys.argv[2], sys.argv[3])
    elif command == "job-env":
        job_env(sys.argv[2] if len(sys.argv) > 2 else "")
    else:
        raise Final("unknown command " + command)
except Final as error:
    sys.stderr.write("%s\n" % error)
    sys.exit(1)
PYTHON
)
gcs() { python3 -c "$gcs_helper" "$@"; }

node_prefix=''
upload() {
  local file=$1 name=$2 why
  if ! why=$(gcs put "$file" "$node_prefix/$name" 2>&1); then
    note "the upload of $name failed: $why"
    return 1
  fi
}

upload_progress() {
  upload "$log_file" output.log
  if [ -f "$markers_file" ]; then upload "$markers_file" markers; fi
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

# The job wrapper writes these lines; the bootstrap adds only the teardown a stopped wrapper never reached.
marker() { printf '%s %s\n' "$(date +%s.%N)" "$*" >> "$markers_file"; }

uploader=''
stop_uploader() {
  if [ -n "$uploader" ]; then
    kill -TERM "$uploader" 2>/dev/null
    wait "$uploader" 2>/dev/null
    uploader=''
  fi
}

# Every way through this script ends here: node 0's outputs, the last of the log and markers, then node 0's result,
# which tells dlrun that everything else is uploaded. The container exits with the job's status (1 without one).
finish() {
  local state=$1 exit_code=$2 reason=$3 ended_at archive=$root/outputs.tar.gz
  ended_at=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  stop_uploader
  if [ "${DLRUN_NODE_RANK:-0}" = 0 ] && [ -n "$node_prefix" ] && [ -d "$output_dir" ]; then
    if ! tar -czf "$archive" -C "$output_dir" . 2>>"$log_file" || ! upload "$archive" outputs.tar.gz; then
      reason="$reason; the outputs could not be uploaded"
    fi
    rm -f "$archive"
  fi
  note "$reason"
  if [ -n "$node_prefix" ]; then
    upload_progress
    if [ "${DLRUN_NODE_RANK:-0}" = 0 ]; then
      printf 'state=%s\nexit_code=%s\nreason=%s\nended_at=%s\n' "$state" "$exit_code" "${reason//$'\n'/ }" \
        "$ended_at" > "$job_folder/result"
      upload "$job_folder/result" result || note "the result could not be uploaded"
    fi
  fi
  rm -f "$DLRUN_BOOT_TOKEN_FILE"
  if [ -n "$exit_code" ] && [ "$exit_code" != 0 ]; then exit "$exit_code"; fi
  if [ "$state" = succeeded ]; then exit 0; fi
  exit 1
}

# --- Which node this is (vertex-cluster-env.sh, embedded by the adapter between the markers). ----------------------
cat > "$job_folder/cluster-env.sh" <<'DLRUN_CLUSTER_ENV_END'
#@DLRUN_CLUSTER_ENV@
DLRUN_CLUSTER_ENV_END
# No object names without a rank: a node that cannot tell its own says why on stderr (Cloud Logging) and exits 1.
# shellcheck source=/dev/null
if ! source "$job_folder/cluster-env.sh" 2>"$job_folder/cluster-env.err"; then
  cat "$job_folder/cluster-env.err" >> "$log_file"
  finish failed '' "this node cannot tell its rank: $(cat "$job_folder/cluster-env.err")"
fi
if [ -z "${DLRUN_BOOT_BUCKET:-}" ] || [ -z "${DLRUN_BOOT_NODES_PREFIX:-}" ] || [ -z "${DLRUN_BOOT_WORKDIR_OBJECT:-}" ]
then
  finish failed '' "DLRUN_BOOT_BUCKET, DLRUN_BOOT_NODES_PREFIX and DLRUN_BOOT_WORKDIR_OBJECT must all be set"
fi
node_prefix=${DLRUN_BOOT_NODES_PREFIX%/}/$DLRUN_NODE_RANK

upload_periodically &
uploader=$!
note "job ${DLRUN_JOB_ID:-}: rank $DLRUN_NODE_RANK of $DLRUN_NUM_NODES node(s), master $DLRUN_MASTER_ADDR"

# --- The workdir. ------------------------------------------------------------------------------------------------
archive=$root/workdir.tar.gz
if ! why=$(gcs get "$DLRUN_BOOT_WORKDIR_OBJECT" "$archive" 2>&1); then
  rm -f "$archive"
  finish failed '' "could not download the workdir: $why"
fi
if ! tar -xzf "$archive" -C "$workdir" --no-same-owner 2>>"$log_file"; then
  rm -f "$archive"
  finish failed '' "could not unpack the workdir"
fi
rm -f "$archive"

# --- The job. ----------------------------------------------------------------------------------------------------
printf '%s' "${DLRUN_BOOT_SETUP:-}" > "$job_folder/setup.sh"
printf '%s' "${DLRUN_BOOT_RUN:-}" > "$job_folder/run.sh"
cat > "$job_folder/job-wrapper.sh" <<'DLRUN_JOB_WRAPPER_END'
#@DLRUN_JOB_WRAPPER@
DLRUN_JOB_WRAPPER_END

# The secrets, when the job has any: fetched into a file only this user reads, handed to the helper, which gives
# them with the job's env, and deleted before the job starts. Their values are never written to the log.
secrets_file=''
if [ -n "${DLRUN_BOOT_SECRETS_OBJECT:-}" ]; then
  secrets_file=$job_folder/.secrets.json
  if ! why=$(gcs get "$DLRUN_BOOT_SECRETS_OBJECT" "$secrets_file" 2>&1); then
    rm -f "$secrets_file"
    finish failed '' "could not read the job's secrets (gs://$DLRUN_BOOT_BUCKET/$DLRUN_BOOT_SECRETS_OBJECT): $why"
  fi
fi
assignments=()
if ! mapfile -d '' assignments < <(gcs job-env "$secrets_file" 2>"$job_folder/job-env.err") || ! wait "$!"; then
  rm -f "$secrets_file"
  finish failed '' "$(tail -n 1 "$job_folder/job-env.err")"
fi
rm -f "$secrets_file" "$job_folder/job-env.err"
# Later values win, so the DLRUN_* variables beat a job's `env:`, as on every backend.
assignments+=(
  "DLRUN_JOB_ID=${DLRUN_JOB_ID:-}" "DLRUN_BACKEND=vertex" "DLRUN_WORKDIR=$workdir" "DLRUN_OUTPUT_DIR=$output_dir"
  "DLRUN_NUM_NODES=$DLRUN_NUM_NODES" "DLRUN_NODE_RANK=$DLRUN_NODE_RANK" "DLRUN_MASTER_ADDR=$DLRUN_MASTER_ADDR"
  "DLRUN_MASTER_PORT=$DLRUN_MASTER_PORT" "DLRUN_GPUS_PER_NODE=${DLRUN_GPUS_PER_NODE:-0}"
  "DLRUN_JOB_DIR=$job_folder"
)
# The bootstrap's own inputs are not the job's business; full paths, as `env` looks programs up in the job's PATH.
job_command=("$(command -v env)")
for name in $(compgen -e); do
  case $name in DLRUN_BOOT_* | DLRUN_GCS_URL | DLRUN_METADATA_URL | DLRUN_ROOT) job_command+=(-u "$name") ;; esac
done
job_command+=("${assignments[@]}" "$(command -v bash)" "$job_folder/job-wrapper.sh")

# Vertex AI stops a container (a cancel, scheduling.timeout, a preemption) with SIGTERM to its first process, this
# shell, which as process 1 would ignore it. So the job runs in the background, in a process group of its own (set -m),
# and a TERM goes on to all of it; what still runs 10 s later is killed, leaving time for the last uploads before
# Vertex's own SIGKILL.
stopped=''
# shellcheck disable=SC2317 # run by the TERM trap
stop_job() {
  stopped=yes
  kill -TERM -- "-$job_pid" 2>/dev/null
  (sleep 10 && kill -KILL -- "-$job_pid") > /dev/null 2>&1 &
}
set -m
(
  umask 022
  exec "${job_command[@]}"
) < /dev/null >> "$log_file" 2>&1 &
job_pid=$!
set +m
trap stop_job TERM
wait "$job_pid"
status=$?
# A TERM ends the first wait at once (status 143): the second gives the job's own status.
if [ -n "$stopped" ]; then
  wait "$job_pid"
  status=$?
fi
trap - TERM

if [ -n "$stopped" ]; then
  tail -n 1 "$markers_file" 2>/dev/null | grep -q ' phase teardown$' || marker "phase teardown"
  finish stopped 143 "Vertex AI stopped the container (SIGTERM: a cancel, the job's timeout or a preemption)"
fi
if [ "$status" -eq 0 ]; then finish succeeded 0 "the job finished"; fi
setup_status=$(sed -n 's/^[0-9.]* setup-exit \([0-9]*\)$/\1/p' "$markers_file" 2>/dev/null)
if [ -n "$setup_status" ] && [ "$setup_status" != 0 ]; then
  finish failed "$status" "setup exited with status $setup_status"
fi
finish failed "$status" "the job exited with status $status"
