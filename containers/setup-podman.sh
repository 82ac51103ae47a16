# shellcheck shell=bash
# Gives this machine a container engine for the container tests: rootful podman serving
# the Docker API on a socket under .podman/, plus a local `node` base image (no image
# registry is reachable here, so the base is made from the host's own node binary).
#
# Source it — `source containers/setup-podman.sh` — so that DOCKER_HOST and friends reach
# the tests; the API service it starts is stopped when the sourcing shell exits.
# Reuses a service that already answers on the socket (and then leaves it running).
# See /work/shared/CONTAINERS.md for why each setting below exists.

authconform_setup_podman() {
  local root state sock conf
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  state="$root/.podman"
  sock="$state/podman.sock"
  conf="$state/containers.conf"

  if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || ! command -v busybox >/dev/null 2>&1; then
    echo "containers: installing podman" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      podman runc netavark aardvark-dns iptables busybox-static >/dev/null
  fi

  mkdir -p "$state/storage" "$state/run"
  # Root here lacks CAP_SYS_RESOURCE, so the rlimits podman sets must stay under the hard
  # ones; crun refuses this hybrid cgroup layout, runc does not.
  local nofile
  nofile="$(ulimit -Hn)"
  if [[ "$nofile" == unlimited || "$nofile" -gt 1048576 ]]; then nofile=1048576; fi
  cat >"$conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
  cat >"$state/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$state/storage"
runroot = "$state/run"
CONF
  export CONTAINERS_CONF="$conf"
  export CONTAINERS_STORAGE_CONF="$state/storage.conf"
  export DOCKER_HOST="unix://$sock"
  # Ryuk (testcontainers' reaper) comes from a registry; the tests stop what they start.
  export TESTCONTAINERS_RYUK_DISABLED=true
  # This machine has /.dockerenv, which would make testcontainers aim at a bridge address.
  export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1

  if ! curl -fsS --max-time 2 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; then
    rm -f "$sock"
    # Docker image format, so that HEALTHCHECK survives builds through the Docker API.
    BUILDAH_FORMAT=docker podman system service --time=0 "unix://$sock" >"$state/service.log" 2>&1 &
    AUTHCONFORM_PODMAN_PID=$!
    local i
    for i in $(seq 1 100); do
      curl -fsS --max-time 1 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
      if ! kill -0 "$AUTHCONFORM_PODMAN_PID" 2>/dev/null || [[ $i -eq 100 ]]; then
        echo "containers: podman API service did not come up; see $state/service.log" >&2
        return 1
      fi
      sleep 0.1
    done
    # Chain onto whatever EXIT trap the sourcing shell already has.
    local previous
    previous="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
    # shellcheck disable=SC2064
    trap "${previous:+$previous; }authconform_stop_podman" EXIT
  fi

  export AUTHCONFORM_NODE_IMAGE
  AUTHCONFORM_NODE_IMAGE="$(bash "$root/containers/build-node-base.sh")"
  echo "containers: podman API at $DOCKER_HOST, base image $AUTHCONFORM_NODE_IMAGE" >&2
}

authconform_stop_podman() {
  [[ -n "${AUTHCONFORM_PODMAN_PID:-}" ]] || return 0
  # Containers the tests failed to stop would keep conmon processes alive: remove them first.
  podman rm -f -a -t 2 >/dev/null 2>&1 || true
  kill "$AUTHCONFORM_PODMAN_PID" 2>/dev/null || true
  wait "$AUTHCONFORM_PODMAN_PID" 2>/dev/null || true
  AUTHCONFORM_PODMAN_PID=
}

authconform_setup_podman
