#!/bin/bash
# dlrun's user data for one EC2 launch. cloud-init runs it once, as root, at first boot. It does only what must hold
# whatever happens next: it sets the machine's own stop timer, makes sure the machine shuts down when the job ends,
# and hands over to this machine's bootstrap, staged in S3 (EC2 takes at most 16 KB of user data; the bootstrap holds
# the job's scripts, which may be bigger). The instance is launched with InstanceInitiatedShutdownBehavior=terminate,
# so a shutdown ends the bill.
#
# Anyone allowed to read the user data (ec2:DescribeInstanceAttribute, or any process on the machine through the
# instance metadata) reads these URLs. They live only for the boot window, and the bootstrap object is deleted as
# soon as it is fetched: after boot they lead to nothing (docs/ec2-backend.md, "How secrets travel").
#@DLRUN_INPUTS@

# The timer first: it holds with no dlrun running anywhere, and whatever fails below.
if [ -n "$shutdown_after_minutes" ]; then
  shutdown -h "+$shutdown_after_minutes" || echo "dlrun: could not schedule the stop timer" >&2
fi
# Whatever ends this script (the job's end, a failure, a signal), the machine shuts down: an idle machine still bills.
trap 'shutdown -h now' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The bootstrap counts the job's time limit from here (milliseconds since 1970), as the timer above counts from here:
# the job must end, and its results be uploaded, before the timer stops the machine.
DLRUN_STARTED_MS=$(date +%s%3N)
export DLRUN_STARTED_MS

# Root only: the bootstrap holds presigned URLs that let whoever reads them write the job's results.
root=${DLRUN_ROOT:-/opt/dlrun}
umask 077
mkdir -p "$root" && chmod 700 "$root" || exit 1

# A launch of several machines (the workers of a multi-node job) stages a bootstrap for each: the instance metadata
# says which one is this machine's.
index=0
if [ "${#bootstrap_get_urls[@]}" -gt 1 ]; then
  imds=${DLRUN_IMDS_URL:-http://169.254.169.254}
  index=$(token=$(curl --silent --fail --retry 5 --retry-connrefused --max-time 10 --request PUT \
      --header 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$imds/latest/api/token") &&
    curl --silent --fail --retry 5 --retry-connrefused --max-time 10 --header "X-aws-ec2-metadata-token: $token" \
      "$imds/latest/meta-data/ami-launch-index")
  if ! [[ $index =~ ^[0-9]+$ ]] || [ "$index" -ge "${#bootstrap_get_urls[@]}" ]; then
    echo "dlrun: could not read this machine's launch index from the instance metadata (got '$index')" >&2
    exit 1
  fi
fi

# Retried while the answer may change (timeouts, refused connections, 5xx); a 403 (the boot window is over) is final.
# A transfer that stalls for 30 seconds is given up, and retried.
if ! curl --silent --show-error --fail --retry 8 --retry-connrefused --connect-timeout 10 --speed-limit 1 --speed-time 30 \
  --output "$root/bootstrap.sh" "${bootstrap_get_urls[index]}"; then
  echo "dlrun: could not fetch the bootstrap of job $job_id" >&2
  exit 1
fi
# Read once: the object goes now, so that the user data leads to nothing from here on. Should the deletion fail, the
# object still cannot be fetched once the boot window is over.
if ! curl --silent --show-error --fail --retry 4 --retry-connrefused --connect-timeout 10 --max-time 60 \
  --request DELETE --output /dev/null "${bootstrap_delete_urls[index]}"; then
  echo "dlrun: could not delete the bootstrap of job $job_id; its URL expires with the boot window" >&2
fi
bash "$root/bootstrap.sh"
