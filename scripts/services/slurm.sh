#!/usr/bin/env bash
# A single-node SLURM cluster on this machine (controller + one node, both "localhost"), for the SLURM executor's tests
# and for trying `cofail run --executor slurm` without a cluster. Installs Debian's slurm-wlm and munge if missing.
#   eval "$(bash scripts/services/slurm.sh start)"   # install if needed, start munged, slurmctld, slurmd; print exports
#   bash scripts/services/slurm.sh env               # the variables again (SLURM_CONF, COFAIL_TEST_SLURM)
#   bash scripts/services/slurm.sh stop
# The cluster: NodeName=localhost CPUs=$(nproc), partition "debug" (default), select/cons_tres, proctrack/linuxproc,
# task/none, no cgroups, no accounting (sacct answers nothing; the executor then asks scontrol). Needs root (it starts
# the daemons as root). State, logs and slurm.conf live in ${COFAIL_SERVICES_DIR:-/tmp/cofail-services}/slurm.
set -euo pipefail
state="${COFAIL_SERVICES_DIR:-/tmp/cofail-services}/slurm"
conf="$state/slurm.conf"
print_env() {
  echo "export SLURM_CONF=$conf"
  echo "export COFAIL_TEST_SLURM=1"
}
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
install() {
  command -v slurmctld >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null && return
  echo "slurm: installing slurm-wlm and munge (Debian packages)" >&2
  apt-get -o DPkg::Lock::Timeout=900 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq slurm-wlm munge >&2
}
start_munge() {
  mkdir -p "$state/munge" /etc/munge
  if [ ! -s /etc/munge/munge.key ]; then
    if command -v mungekey >/dev/null; then mungekey -c -f -k /etc/munge/munge.key; else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true
    chmod 600 /etc/munge/munge.key
  fi
  if ! munge -n >/dev/null 2>&1 </dev/null; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
    if id munge >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged; else /usr/sbin/munged --force; fi
    for _ in $(seq 1 50); do munge -n >/dev/null 2>&1 </dev/null && break; sleep 0.1; done
  fi
  munge -n </dev/null | unmunge >/dev/null || { echo "slurm: munged is not working" >&2; exit 1; }
}
write_conf() {
  local cpus mem
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)"
  mkdir -p "$state/ctld" "$state/d"
  cat >"$conf" <<CONF
# cofail single-node test cluster (scripts/services/slurm.sh)
ClusterName=cofail
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}
case "${1:-}" in
  start)
    install
    start_munge
    mkdir -p "$state"
    export SLURM_CONF="$conf"
    if ! pid_alive "$state/slurmctld.pid" || ! pid_alive "$state/slurmd.pid"; then
      write_conf
      pid_alive "$state/slurmctld.pid" || slurmctld -f "$conf" -c -i
      pid_alive "$state/slurmd.pid" || slurmd -f "$conf" -N localhost
    fi
    ok=""
    for _ in $(seq 1 150); do
      if sinfo -h -o "%T" 2>/dev/null | grep -Eq "^(idle|mixed|allocated)"; then ok=1; break; fi
      sleep 0.2
    done
    if [ -z "$ok" ]; then
      scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1 || true
      sleep 1
      sinfo -h -o "%T" 2>/dev/null | grep -Eq "^(idle|mixed|allocated)" || {
        echo "slurm: the node did not come up: $(sinfo 2>&1 | tail -2)" >&2
        tail -5 "$state/slurmctld.log" "$state/slurmd.log" >&2 || true
        exit 1
      }
    fi
    echo "slurm: single-node cluster up ($(sinfo -h -o '%P %D %T %c' | head -1); conf $conf)" >&2
    print_env ;;
  env) export SLURM_CONF="$conf"; pid_alive "$state/slurmctld.pid" || { echo "slurm: not running (start it with: eval \"\$(bash scripts/services/slurm.sh start)\")" >&2; exit 1; }; print_env ;;
  stop)
    export SLURM_CONF="$conf"
    for d in slurmd slurmctld; do
      if pid_alive "$state/$d.pid"; then
        pid="$(cat "$state/$d.pid")"; kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    done
    echo "slurm: stopped (munged left running)" >&2 ;;
  status) export SLURM_CONF="$conf"; sinfo && squeue ;;
  *) echo "usage: $0 start|env|stop|status" >&2; exit 2 ;;
esac
