#!/bin/bash
# dlrun's user data for one EC2 launch. cloud-init runs it once, as root, at first boot. It does only what must hold
# whatever happens next: it sets the machine's own stop timer, makes sure the machine shuts down when the job ends,
# and hands over to the bootstrap that dlrun staged in S3 (EC2 takes at most 16 KB of user data; the bootstrap holds
# the job's scripts, which may be bigger). The instance is launched with InstanceInitiatedShutdownBehavior=terminate,
# so a shutdown ends the bill.
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
# Retried while the answer may change (timeouts, refused connections, 5xx); a 403 (an expired URL) is final.
if ! curl --silent --show-error --fail --retry 8 --retry-connrefused --connect-timeout 10 \
  --output "$root/bootstrap.sh" "$bootstrap_url"; then
  echo "dlrun: could not fetch the bootstrap of job $job_id" >&2
  exit 1
fi
bash "$root/bootstrap.sh"
