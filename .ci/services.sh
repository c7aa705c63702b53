#!/usr/bin/env bash
# Starts PostgreSQL, MariaDB and Redis on loopback when they are not running, installing
# them from Debian's packages where missing, and installs Debian's Chromium and chromedriver
# for the browser tests, and runs npm ci for the standard-client test in examples/oauth4webapi.
# Idempotent; safe to run on a developer machine.
set -uo pipefail

need_apt_update=1
apt_install() {
  if [ "$need_apt_update" = 1 ]; then apt-get update -qq >/dev/null 2>&1 || true; need_apt_update=0; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || echo "services: could not install $*"
}
wait_port() { # port name
  for _ in $(seq 1 60); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then echo "services: $2 is up on 127.0.0.1:$1"; return 0; fi
    sleep 0.5
  done
  echo "services: $2 did not come up on port $1"; return 1
}
port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# PostgreSQL
if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  if [ -d /etc/postgresql ]; then
    ver=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
    wait_port 5432 PostgreSQL || true
    # trust auth on loopback and a database called test, as the tests expect
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='test'\"" 2>/dev/null | grep -q 1 \
      || su postgres -c "createdb test" 2>/dev/null || true
  fi
else
  echo "services: PostgreSQL already up"
fi

# MariaDB
if ! port_open 3306; then
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd 2>/dev/null || true
  wait_port 3306 MariaDB || true
  mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS test" 2>/dev/null || true
else
  echo "services: MariaDB already up"
fi

# Redis
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  wait_port 6379 Redis || true
else
  echo "services: Redis already up"
fi

# Chromium and chromedriver (the browser end-to-end tests in examples)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt_install chromium chromium-driver
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "services: Chromium and chromedriver installed"
  fi
else
  echo "services: Chromium and chromedriver already installed"
fi
# oauth4webapi for Oauth4webapiClientTest (examples): the exact version in examples/oauth4webapi's
# package-lock.json, from the npm registry; npm ci replaces node_modules each time
client_dir="$(cd "$(dirname "$0")/.." && pwd)/examples/oauth4webapi"
if command -v node >/dev/null && command -v npm >/dev/null; then
  if (cd "$client_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "services: oauth4webapi installed in examples/oauth4webapi (node $(node --version))"
  else
    echo "services: npm ci failed in examples/oauth4webapi"
  fi
else
  echo "services: node or npm missing: Oauth4webapiClientTest cannot run"
fi
exit 0
