#!/usr/bin/env bash
# Starts Debian's MariaDB (installing it when absent) and creates the test user that the
# MariaDB integration suite connects with. Idempotent: safe to run when it is already up.
set -euo pipefail

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "installing mariadb-server from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi

socket=/run/mysqld/mysqld.sock
if ! mariadb-admin --socket="$socket" ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=root
  for _ in $(seq 1 60); do
    mariadb-admin --socket="$socket" ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
mariadb-admin --socket="$socket" ping >/dev/null

mariadb --socket="$socket" <<'SQL'
CREATE USER IF NOT EXISTS 'padlock'@'127.0.0.1' IDENTIFIED BY 'padlock';
CREATE USER IF NOT EXISTS 'padlock'@'localhost' IDENTIFIED BY 'padlock';
GRANT ALL PRIVILEGES ON `padlock\_test%`.* TO 'padlock'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `padlock\_test%`.* TO 'padlock'@'localhost';
FLUSH PRIVILEGES;
SQL
echo "MariaDB is up ($(mariadb --socket="$socket" -N -e 'SELECT VERSION()'))"
