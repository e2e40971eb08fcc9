# shellcheck shell=bash
# Sourced by the Vertex AI bootstrap: the DLRUN_* cluster variables from Vertex's CLUSTER_SPEC.
#
# Vertex AI sets CLUSTER_SPEC on every replica of a multi-node job
# (https://cloud.google.com/vertex-ai/docs/training/distributed-training#cluster-spec), e.g.
#   {"cluster": {"workerpool0": ["cmle-training-workerpool0-ab-0:2222"],
#                "workerpool1": ["cmle-training-workerpool1-ab-0:2222", "cmle-training-workerpool1-ab-1:2222"]},
#    "task": {"type": "workerpool1", "index": 0}, "job": {...}}
# dlrun puts the chief (node 0) alone in workerpool0 and every other node in workerpool1
# (adapters/vertex/vertex-custom-job.ts), so: workerpool0 index 0 is rank 0, workerpool1 index i is rank i + 1.
#
# Exports DLRUN_NODE_RANK, DLRUN_NUM_NODES, DLRUN_MASTER_ADDR and DLRUN_MASTER_PORT (the chief's host and port).
# Without CLUSTER_SPEC (a one-node job, where Vertex may leave it unset) the job is one node on this machine.
# A CLUSTER_SPEC that is not what dlrun asked for is refused: a message on stderr and status 3, returned when
# sourced (the bootstrap checks it: `source vertex-cluster-env.sh || exit`), exit status 3 when run.

dlrun_cluster_env() {
  if [ -z "${CLUSTER_SPEC:-}" ]; then
    export DLRUN_NODE_RANK=0 DLRUN_NUM_NODES=1 DLRUN_MASTER_ADDR=127.0.0.1 DLRUN_MASTER_PORT=29500
    return 0
  fi
  local parsed
  # python3 is in every prebuilt training container; the spec is passed in the environment, never as code.
  if ! parsed=$(python3 -c '
import json, os, sys

def refuse(why):
    sys.stderr.write("dlrun: CLUSTER_SPEC from Vertex AI is not usable: " + why + "\n")
    sys.exit(3)

def split(address, where):
    if not isinstance(address, str) or ":" not in address:
        refuse(where + " is not host:port: " + json.dumps(address))
    host, port = address.rsplit(":", 1)
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or any(c.isspace() for c in host):
        refuse(where + " is not host:port: " + json.dumps(address))
    return host, int(port)

try:
    spec = json.loads(os.environ["CLUSTER_SPEC"])
except ValueError as error:
    refuse("not JSON (" + str(error) + ")")
if not isinstance(spec, dict) or not isinstance(spec.get("cluster"), dict) or not isinstance(spec.get("task"), dict):
    refuse("it has no \"cluster\" and \"task\" objects")
cluster, task = spec["cluster"], spec["task"]
chiefs = cluster.get("workerpool0")
workers = cluster.get("workerpool1", [])
if not isinstance(chiefs, list) or len(chiefs) != 1:
    refuse("workerpool0 must list exactly one chief, not " + json.dumps(chiefs))
if not isinstance(workers, list):
    refuse("workerpool1 is not a list")
kind, index = task.get("type"), task.get("index")
if kind not in ("workerpool0", "workerpool1"):
    refuse("task type " + json.dumps(kind) + " is not one of dlrun'"'"'s pools (workerpool0, workerpool1)")
pool = chiefs if kind == "workerpool0" else workers
if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(pool):
    refuse("task index " + json.dumps(index) + " is not in " + kind + " (" + str(len(pool)) + " replicas)")
for number, address in enumerate(workers):
    split(address, "workerpool1[" + str(number) + "]")
host, port = split(chiefs[0], "workerpool0[0]")
rank = 0 if kind == "workerpool0" else index + 1
print(rank, 1 + len(workers), host, port)
'); then
    return 3
  fi
  local rank nodes host port
  read -r rank nodes host port <<<"$parsed"
  export DLRUN_NODE_RANK="$rank" DLRUN_NUM_NODES="$nodes" DLRUN_MASTER_ADDR="$host" DLRUN_MASTER_PORT="$port"
}

# `return` ends a sourcing; `exit` is reached only when the file is run on its own.
# shellcheck disable=SC2317
dlrun_cluster_env || { dlrun_status=$?; return "$dlrun_status" 2>/dev/null || exit "$dlrun_status"; }
