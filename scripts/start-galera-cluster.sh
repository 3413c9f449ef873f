#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on this machine, for the cluster test suite (test/cluster)
# and for trying the store at scale: Debian's mariadb-server and galera-4, one data directory per
# node under $GALERA_DIR (default /var/tmp/padlock-galera), all on 127.0.0.1.
#
#   bash scripts/start-galera-cluster.sh          start (or complete) the cluster; idempotent
#   bash scripts/start-galera-cluster.sh start 2  (re)start node 2 only, joining the running cluster
#   bash scripts/start-galera-cluster.sh stop     stop every node (data kept)
#   bash scripts/start-galera-cluster.sh clean    stop every node and delete the data
#   bash scripts/start-galera-cluster.sh status   print each node's wsrep state
#
# Node n (1..3) listens for clients on 3306+n (3307..3309; 3306 is the ordinary test server,
# untouched), for Galera replication on 4567+n, for IST on 4577+n and for rsync SST on 4587+n.
# When no node is running the cluster is created afresh (node 1 bootstraps it with
# --wsrep-new-cluster); when some run, the missing ones join them. Database `padlock_cluster` and
# user padlock/padlock (for padlock_cluster%) are created. Any failure exits non-zero with the
# node's error log.
set -euo pipefail

dir=${GALERA_DIR:-/var/tmp/padlock-galera}
nodes=(1 2 3)
provider=/usr/lib/galera/libgalera_smm.so

client_port() { echo $((3306 + $1)); }
galera_port() { echo $((4567 + $1)); }
sock() { echo "$dir/node$1/mysqld.sock"; }
pidfile() { echo "$dir/node$1/mysqld.pid"; }
running() { mariadb-admin --socket="$(sock "$1")" -uroot ping >/dev/null 2>&1; }
wsrep() { mariadb --socket="$(sock "$1")" -uroot -N -e "SHOW STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'; }

fail() {
  echo "start-galera-cluster: $*" >&2
  for n in "${nodes[@]}"; do
    [ -f "$dir/node$n.err" ] && { echo "--- node $n error log (tail)" >&2; tail -n 25 "$dir/node$n.err" >&2; }
  done
  exit 1
}

write_config() {
  local n=$1 members=()
  for m in "${nodes[@]}"; do members+=("127.0.0.1:$(galera_port "$m")"); done
  cat >"$dir/node$n.cnf" <<CNF
[mariadbd]
# Not root: run as root, rsync's SST daemon would write as nobody.
user=mysql
datadir=$dir/node$n/data
socket=$(sock "$n")
pid-file=$(pidfile "$n")
log-error=$dir/node$n.err
port=$(client_port "$n")
bind-address=127.0.0.1
skip-name-resolve
# What the store expects of a Galera cluster (see the README, "Running at scale").
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# A session written through one node is read back through another (causal reads).
wsrep_sync_wait=1
# Small: three nodes share a 2-core test machine.
innodb_buffer_pool_size=48M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
performance_schema=OFF
max_connections=200
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=padlock_test_cluster
wsrep_cluster_address=gcomm://$(
    IFS=,
    echo "${members[*]}"
  )
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(galera_port "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(galera_port "$n");ist.recv_addr=127.0.0.1:$((4577 + n));gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((4587 + n))
wsrep_slave_threads=2
CNF
}

start_node() {
  local n=$1 bootstrap=${2:-}
  running "$n" && return 0
  mkdir -p "$dir/node$n/data"
  write_config "$n"
  # Only the node that bootstraps needs system tables: a joiner receives everything by state transfer.
  if [ -n "$bootstrap" ] && [ ! -d "$dir/node$n/data/mysql" ]; then
    mariadb-install-db --defaults-file="$dir/node$n.cnf" --auth-root-authentication-method=socket \
      --skip-test-db >"$dir/node$n.install.log" 2>&1 || fail "mariadb-install-db failed for node $n (see $dir/node$n.install.log)"
  fi
  chown -R mysql:mysql "$dir/node$n"
  # A node killed mid-run has no safe seqno; it rejoins by state transfer from the others.
  rm -f "$dir/node$n/data/"*.sock "$(pidfile "$n")"
  : >"$dir/node$n.err"
  # shellcheck disable=SC2086
  setsid /usr/sbin/mariadbd --defaults-file="$dir/node$n.cnf" $bootstrap </dev/null >>"$dir/node$n.err" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    if running "$n" && [ "$(wsrep "$n" wsrep_local_state_comment)" = Synced ]; then return 0; fi
    kill -0 "$pid" 2>/dev/null || fail "node $n exited while starting"
    sleep 0.5
  done
  fail "node $n did not reach Synced within 60 s"
}

stop_all() {
  for n in "${nodes[@]}"; do
    if [ -f "$(pidfile "$n")" ]; then
      local pid
      pid=$(cat "$(pidfile "$n")")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

cmd=${1:-start}
case "$cmd" in
  stop) stop_all; echo "Galera cluster stopped"; exit 0 ;;
  clean) stop_all; rm -rf "$dir"; echo "Galera cluster stopped and removed"; exit 0 ;;
  status)
    for n in "${nodes[@]}"; do
      if running "$n"; then echo "node $n: $(wsrep "$n" wsrep_local_state_comment), cluster size $(wsrep "$n" wsrep_cluster_size)"; else echo "node $n: down"; fi
    done
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start [n]|stop|clean|status]" >&2; exit 2 ;;
esac

[ -x /usr/sbin/mariadbd ] && [ -f "$provider" ] && command -v rsync >/dev/null ||
  fail "needs Debian's mariadb-server, galera-4 and rsync (apt-get install mariadb-server galera-4 rsync)"
mkdir -p "$dir"

if [ -n "${2:-}" ]; then
  start_node "$2"
else
  up=()
  for n in "${nodes[@]}"; do running "$n" && up+=("$n"); done
  if [ "${#up[@]}" -eq 0 ]; then
    # No member left to join: a fresh cluster (test data only) rather than recovering seqnos.
    rm -rf "${dir:?}"/node*
    start_node 1 --wsrep-new-cluster
  fi
  for n in "${nodes[@]}"; do start_node "$n"; done
fi

for _ in $(seq 1 60); do
  [ "$(wsrep 1 wsrep_cluster_size 2>/dev/null || true)" = 3 ] || [ "$(wsrep 2 wsrep_cluster_size 2>/dev/null || true)" = 3 ] && break
  sleep 0.5
done
size=0
for n in "${nodes[@]}"; do running "$n" && size=$(wsrep "$n" wsrep_cluster_size) && break; done
[ "$size" = 3 ] || fail "cluster size is $size, not 3"

any=$(for n in "${nodes[@]}"; do running "$n" && echo "$n" && break; done)
mariadb --socket="$(sock "$any")" -uroot <<'SQL' || fail "could not create the database and user"
CREATE DATABASE IF NOT EXISTS padlock_cluster CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'padlock'@'127.0.0.1' IDENTIFIED BY 'padlock';
GRANT ALL PRIVILEGES ON `padlock\_cluster%`.* TO 'padlock'@'127.0.0.1';
SQL
echo "Galera cluster up: 3 nodes Synced on 127.0.0.1:3307,3308,3309 (data in $dir)"
