#!/bin/sh
# One MySQL user per database service, with every privilege on its own database and nothing else
# (not root): micronote_notes, micronote_todos and micronote_users, each on the database of the same name.
# The grant lets the service's migration run `CREATE DATABASE IF NOT EXISTS <its db>` itself.
# Idempotent: re-running sets the passwords again (that is how a password is rotated).
#
# Used by both deployments (one script, one set of grants):
#   docker compose: mounted into MariaDB's /docker-entrypoint-initdb.d (runs on the first start of an
#                   empty volume, over the socket, as root with MARIADB_ROOT_PASSWORD);
#   Kubernetes:     the `mysql-users` Job (deploy/k8s/base/mysql-users.yaml) runs it against the external
#                   MySQL with MYSQL_ADMIN_HOST (host[:port]) / MYSQL_ADMIN_USER / MYSQL_ADMIN_PASSWORD.
# Passwords: NOTES_MYSQL_PASSWORD, TODOS_MYSQL_PASSWORD, USERS_MYSQL_PASSWORD (`npm run secrets` makes them);
# each must be 32+ characters of [A-Za-z0-9_-] (they are put into SQL and URLs as they are).
# DB_SUFFIX (optional, [A-Za-z0-9_]) is appended to every user and database name (tests).
set -eu

suffix="${DB_SUFFIX:-}"
case "$suffix" in *[!A-Za-z0-9_]*) echo "create-users.sh: DB_SUFFIX must be [A-Za-z0-9_]" >&2; exit 1 ;; esac

sql=""
for pair in notes:NOTES_MYSQL_PASSWORD todos:TODOS_MYSQL_PASSWORD users:USERS_MYSQL_PASSWORD; do
  name="micronote_${pair%%:*}${suffix}"
  variable="${pair#*:}"
  eval "password=\${$variable:-}"
  if [ "${#password}" -lt 32 ]; then echo "create-users.sh: $variable must be set to 32+ characters" >&2; exit 1; fi
  case "$password" in *[!A-Za-z0-9_-]*) echo "create-users.sh: $variable must be [A-Za-z0-9_-] only" >&2; exit 1 ;; esac
  # `_` is a wildcard in a GRANT's database name: escape it, so the grant names exactly this database.
  escaped=$(printf '%s' "$name" | sed 's/_/\\_/g')
  sql="$sql
CREATE USER IF NOT EXISTS '$name'@'%' IDENTIFIED BY '$password';
ALTER USER '$name'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$escaped\`.* TO '$name'@'%';"
done

export MYSQL_PWD="${MYSQL_ADMIN_PASSWORD:-${MARIADB_ROOT_PASSWORD:-}}"
if [ -n "${MYSQL_ADMIN_HOST:-}" ]; then # host or host:port
  port="${MYSQL_ADMIN_PORT:-3306}"
  case "$MYSQL_ADMIN_HOST" in *:*) port="${MYSQL_ADMIN_HOST##*:}" ;; esac
  set -- --host="${MYSQL_ADMIN_HOST%%:*}" --port="$port" --protocol=tcp
else
  set -- --protocol=socket
fi
printf '%s\n' "$sql" | mariadb "$@" --user="${MYSQL_ADMIN_USER:-root}" --batch
echo "create-users.sh: users micronote_notes$suffix, micronote_todos$suffix, micronote_users$suffix ready"
