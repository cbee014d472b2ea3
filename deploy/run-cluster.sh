#!/usr/bin/env bash
# A two-node Mintgate cluster on this machine: PostgreSQL, two Keycloak 26.7.3 nodes (Infinispan over jdbc-ping on
# 127.0.0.1) with the Mintgate bundle, each with its audit file sink, and the realm deploy/cluster/cluster-realm.json.
#   deploy/run-cluster.sh         start (from scratch: an empty database and empty trails every time)
#   deploy/run-cluster.sh stop    stop both nodes (each writes its final signed checkpoint) and PostgreSQL
# Needs a JDK 17+ and PostgreSQL's server binaries (/usr/lib/postgresql/<major>/bin; as root on Debian/Ubuntu the
# script installs the postgresql package when they are missing). Keycloak comes from Maven Central via the wrapper.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -1)"
project_version="$(awk -F'[<>]' '/<artifactId>mintgate-parent<\/artifactId>/{getline; print $3; exit}' pom.xml)"
work="${MINTGATE_CLUSTER_DIR:-$root/.local/cluster}"
dist="$work/keycloak-$version-postgres"
bundle="$root/deploy/target/mintgate-keycloak-$project_version.jar"
realm=mintgate-cluster
pg_port="${MINTGATE_PG_PORT:-15432}"
http_ports=("${MINTGATE_NODE1_PORT:-8180}" "${MINTGATE_NODE2_PORT:-8280}")
mgmt_ports=("${MINTGATE_NODE1_MANAGEMENT_PORT:-9180}" "${MINTGATE_NODE2_MANAGEMENT_PORT:-9280}")
jgroups_ports=(7810 7820)
features="parameterized-scopes,token-exchange-delegation,spiffe,kubernetes-service-accounts,authzen,oid4vc-vci,resource-indicators,identity-assertion-jwt,oid4vc-vci-preauth-code,oid4vc-vci-rest-credential-offer"
build_options=(--db=postgres --health-enabled=true --metrics-enabled=true "--features=$features")

say() { printf '\033[1m[mintgate-cluster]\033[0m %s\n' "$*"; }
die() { say "$*"; exit 1; }

# PostgreSQL refuses to run as root: as root it runs as the postgres OS user, otherwise as the current user.
if [[ $EUID -eq 0 ]]; then as_pg=(runuser -u postgres --); else as_pg=(); fi
pg_bin() { { ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true; } | sort -V | tail -1; }
pgdata() { cat "$work/pgdata.path" 2>/dev/null || true; }

stop_all() {
  for n in 2 1; do
    local pidfile="$work/node-$n.pid"
    if [[ -f "$pidfile" ]]; then
      local pid; pid="$(cat "$pidfile")"
      if kill -0 -- "-$pid" 2>/dev/null; then
        say "stopping node $n (process group $pid; it writes its final checkpoint)"
        kill -TERM -- "-$pid" 2>/dev/null || true
        for _ in $(seq 1 120); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 -- "-$pid" 2>/dev/null; then
          say "node $n still running after 60 s: SIGKILL"; kill -KILL -- "-$pid" 2>/dev/null || true
        fi
      fi
      rm -f "$pidfile"
    fi
  done
  local data; data="$(pgdata)"
  if [[ -n "$data" && -f "$data/postmaster.pid" ]]; then
    say "stopping PostgreSQL ($data)"
    "${as_pg[@]}" "$(pg_bin)/pg_ctl" stop -m fast -w -D "$data" > /dev/null || true
  fi
}

if [[ "${1:-start}" == "stop" ]]; then
  stop_all
  say "stopped. Trails: $work/node-{1,2}/keycloak-$version/data/mintgate-audit/audit.jsonl"
  exit 0
fi
[[ "${1:-start}" == "start" ]] || die "usage: $0 [start|stop]"

# 0. A previous run of this script is stopped first: every start begins from scratch.
stop_all
for port in "$pg_port" "${http_ports[@]}" "${mgmt_ports[@]}" "${jgroups_ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use (set MINTGATE_PG_PORT / MINTGATE_NODE{1,2}_PORT / MINTGATE_NODE{1,2}_MANAGEMENT_PORT)"
  fi
done

# 1. PostgreSQL's server binaries.
mkdir -p "$work"
if [[ -z "$(pg_bin)" ]]; then
  if [[ $EUID -eq 0 ]] && command -v apt-get > /dev/null; then
    say "installing PostgreSQL (apt-get install -y postgresql)"
    apt-get install -y postgresql > "$work/apt-postgresql.log" 2>&1 \
      || { apt-get update > /dev/null 2>&1 && apt-get install -y postgresql > "$work/apt-postgresql.log" 2>&1; } \
      || die "apt-get install postgresql failed; see $root/.local/apt-postgresql.log"
  else
    die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install PostgreSQL (Debian/Ubuntu: apt-get install postgresql)"
  fi
fi
bin="$(pg_bin)"

# 2. The bundle: rebuilt only when a source or pom is newer than the jar (as deploy/run-local.sh does).
if [[ ! -f "$bundle" ]] || [[ -n "$(find authorizer-spi audit-listener theme deploy pom.xml \( -path '*/src/*' -o -name pom.xml \) -newer "$bundle" -type f -print -quit)" ]]; then
  say "building the bundle (./mvnw package, tests skipped)"
  ./mvnw -q -B -pl deploy -am package -DskipTests
else
  say "bundle up to date: $bundle"
fi

# 3. Keycloak from Maven Central, unpacked once, built once for PostgreSQL (again only when the bundle or the build
#    options change). Copy only a changed jar: start --optimized refuses a provider jar whose mtime changed.
if [[ ! -x "$dist/bin/kc.sh" ]]; then
  say "fetching Keycloak $version from Maven Central"
  rm -rf "$work/unpack" && mkdir -p "$work/unpack"
  ./mvnw -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:unpack \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$work/unpack"
  mv "$work/unpack/keycloak-$version" "$dist" && rmdir "$work/unpack"
fi
cmp -s "$bundle" "$dist/providers/mintgate-keycloak.jar" || cp "$bundle" "$dist/providers/mintgate-keycloak.jar"
fingerprint="$( (sha256sum "$dist/providers/mintgate-keycloak.jar" | cut -d' ' -f1; stat -c %Y "$dist/providers/mintgate-keycloak.jar"
                printf '%s\n' "${build_options[@]}") | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$dist/.mintgate-build-fingerprint" 2>/dev/null)" != "$fingerprint" ]]; then
  say "kc.sh build --db=postgres (about a minute, only when the bundle changed)"
  "$dist/bin/kc.sh" build "${build_options[@]}" > "$work/keycloak-build.log" 2>&1 \
    || { tail -40 "$work/keycloak-build.log"; exit 1; }
  echo "$fingerprint" > "$dist/.mintgate-build-fingerprint"
fi

# 4. PostgreSQL: a fresh data directory, TCP on 127.0.0.1 only with a password (scram-sha-256), its unix socket
#    inside the data directory (mode 700: only its owner reaches it, without a password). As root the data directory
#    must be reachable by the postgres user; when the work directory is not (e.g. under /root), it goes under /tmp.
data="$work/postgres"
if [[ $EUID -eq 0 ]] && ! runuser -u postgres -- test -x "$work"; then
  data="${TMPDIR:-/tmp}/mintgate-cluster-postgres"
fi
echo "$data" > "$work/pgdata.path"
rm -rf "$data" && mkdir -p "$data" && chmod 700 "$data"
db_password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
(umask 077; printf '%s\n' "$db_password" > "$work/db-password")
pwfile="$data.pw"; (umask 077; printf '%s\n' "$db_password" > "$pwfile")
if [[ $EUID -eq 0 ]]; then chown postgres: "$data" "$pwfile"; fi
say "PostgreSQL $(basename "$(dirname "$bin")"): initdb $data"
"${as_pg[@]}" "$bin/initdb" -D "$data" -U keycloak --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 \
  > "$work/initdb.log" 2>&1 || { rm -f "$pwfile"; tail -20 "$work/initdb.log"; exit 1; }
rm -f "$pwfile"
"${as_pg[@]}" "$bin/pg_ctl" start -w -t 60 -D "$data" -l "$data/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$data" > /dev/null
"${as_pg[@]}" "$bin/createdb" -h "$data" -p "$pg_port" -U keycloak -O keycloak keycloak
say "PostgreSQL on 127.0.0.1:$pg_port, database keycloak (password in $work/db-password)"

# 5. Two nodes, each from its own copy of the built distribution (its own data/: audit spool, key, trail).
for n in 1 2; do
  i=$((n - 1))
  home="$work/node-$n/keycloak-$version"
  rm -rf "$work/node-$n" && mkdir -p "$work/node-$n"
  cp -a "$dist" "$home"
  rm -rf "$home/data" && mkdir -p "$home/data"
  import=()
  if [[ $n -eq 1 ]]; then
    mkdir -p "$home/data/import" && cp "$root/deploy/cluster/cluster-realm.json" "$home/data/import/$realm-realm.json"
    import=(--import-realm)
  fi
  say "starting node $n on http://127.0.0.1:${http_ports[$i]} (log: $work/node-$n/keycloak.log)"
  # Its own session and process group (kc.sh does not exec java): the group id, written by the shell that becomes
  # kc.sh, is what "stop" signals, so kc.sh and its JVM stop together.
  rm -f "$work/node-$n.pid"
  (cd "$home" && KC_DB_PASSWORD="$db_password" setsid bash -c 'echo $$ > "$0"; exec "$@"' "$work/node-$n.pid" \
      bin/kc.sh start --optimized "${import[@]}" \
      --http-enabled=true --http-host=127.0.0.1 --http-port="${http_ports[$i]}" --http-management-port="${mgmt_ports[$i]}" \
      --hostname-strict=false \
      --db-url="jdbc:postgresql://127.0.0.1:$pg_port/keycloak" --db-username=keycloak \
      --cache=ispn --cache-embedded-network-bind-address=127.0.0.1 --cache-embedded-network-bind-port="${jgroups_ports[$i]}" \
      --bootstrap-admin-username=admin --bootstrap-admin-password=admin \
      --spi-events-listener--mintgate-audit--sinks=file \
      --spi-events-listener--mintgate-audit--chain-id="node-$n" \
      --spi-events-listener--mintgate-audit--checkpoint-every-ms=10000 \
      > "$work/node-$n/keycloak.log" 2>&1 < /dev/null &)
  for _ in $(seq 1 50); do [[ -s "$work/node-$n.pid" ]] && break; sleep 0.1; done
  pid="$(cat "$work/node-$n.pid")"
  for _ in $(seq 1 480); do
    curl -fs "http://127.0.0.1:${mgmt_ports[$i]}/health/ready" > /dev/null 2>&1 && break
    kill -0 -- "-$pid" 2>/dev/null || { say "node $n exited; last log lines:"; tail -40 "$work/node-$n/keycloak.log"; stop_all; exit 1; }
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:${mgmt_ports[$i]}/health/ready" > /dev/null \
    || { say "node $n not ready after 4 minutes"; tail -40 "$work/node-$n/keycloak.log"; stop_all; exit 1; }
done
for _ in $(seq 1 120); do
  grep -q 'Received new cluster view.*(2)' "$work/node-1/keycloak.log" && break
  sleep 0.5
done
grep -q 'Received new cluster view.*(2)' "$work/node-1/keycloak.log" \
  || say "WARNING: node 1 has not logged a cluster view of 2 nodes within 60 s: budgets and caches may not be shared"

t1="http://127.0.0.1:${http_ports[0]}/realms/$realm/protocol/openid-connect/token"
t2="http://127.0.0.1:${http_ports[1]}/realms/$realm/protocol/openid-connect/token"
kcadm="$work/node-1/keycloak-$version/bin/kcadm.sh"
jar="$work/node-1/keycloak-$version/providers/mintgate-keycloak.jar"
spool1="$work/node-1/keycloak-$version/data/mintgate-audit"
spool2="$work/node-2/keycloak-$version/data/mintgate-audit"
cat <<TRY

  Two Mintgate nodes share PostgreSQL 127.0.0.1:$pg_port and one Infinispan cluster:
    node 1: http://127.0.0.1:${http_ports[0]}   node 2: http://127.0.0.1:${http_ports[1]}   (admin / admin)
  Realm "$realm", decided by the stored policy "main" (deploy/cluster/policy-main.json).

  1. Budgets are shared: trial-bot may have 5 tokens an hour in the whole cluster. Alternate the nodes:
    for i in 1 2 3 4 5 6; do for t in $t1 $t2; do
      curl -s -u trial-bot:trial-bot-secret -d grant_type=client_credentials \$t | grep -o '"access_token"\|(reason: [a-z_]*'; done; done
  Five "access_token", then seven "(reason: budget_exhausted" from both nodes (curl without the grep shows the bodies).

  2. A policy change made on node 1 reaches node 2. ci-runner gets a token on node 2:
    curl -s -u ci-runner:ci-runner-secret -d grant_type=client_credentials $t2 | cut -c1-60; echo
  Change the stored policy through node 1's admin API (adds the rule deploy-freeze):
    $kcadm config credentials --config $work/kcadm.config --server http://127.0.0.1:${http_ports[0]} --realm master --user admin --password admin
    id=\$($kcadm get components --config $work/kcadm.config -r $realm -q name=main --fields id --format csv --noquotes)
    $kcadm update components/\$id --config $work/kcadm.config -r $realm -f $root/deploy/cluster/policy-main-freeze.json
  Now node 2 refuses ci-runner (reason: change_freeze):
    curl -s -u ci-runner:ci-runner-secret -d grant_type=client_credentials $t2; echo
  Put the original back with the same update and deploy/cluster/policy-main.json.

  3. Both nodes' trails verify, each chain with its node's public key (the key each node generated):
    java -jar $jar checkpoint-key public $spool1/checkpoint-key.jwk > $work/node-1.public.jwk
    java -jar $jar checkpoint-key public $spool2/checkpoint-key.jwk > $work/node-2.public.jwk
    cat $spool1/audit.jsonl $spool2/audit.jsonl > $work/both.jsonl
    java -jar $jar verify $work/both.jsonl --jwk $work/node-1.public.jwk --jwk $work/node-2.public.jwk --allow-unsigned-tail 30s
  (Running nodes sign a checkpoint every 10 s; after "$0 stop" each trail ends with a signed checkpoint and
  the same verify passes without --allow-unsigned-tail.)

  Logs: $work/node-{1,2}/keycloak.log, PostgreSQL: $data/server.log
  Stop everything: $0 stop
TRY
