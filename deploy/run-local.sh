#!/usr/bin/env bash
# Runs Keycloak 26.7.3 with the Mintgate bundle and a demo realm on http://localhost:8080 (Ctrl-C stops it).
# Needs only a JDK 17+: Keycloak comes from Maven Central through the Maven wrapper.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -1)"
project_version="$(awk -F'[<>]' '/<artifactId>mintgate-parent<\/artifactId>/{getline; print $3; exit}' pom.xml)"
work="$root/.local"
home="$work/keycloak-$version"
bundle="$root/deploy/target/mintgate-keycloak-$project_version.jar"
http_port="${MINTGATE_HTTP_PORT:-8080}"
mgmt_port="${MINTGATE_MANAGEMENT_PORT:-9000}"
features="parameterized-scopes,token-exchange-delegation,spiffe,kubernetes-service-accounts,authzen,oid4vc-vci,resource-indicators,identity-assertion-jwt,oid4vc-vci-preauth-code,oid4vc-vci-rest-credential-offer"
build_options=(--db=dev-file --health-enabled=true --metrics-enabled=true "--features=$features")

say() { printf '\033[1m[mintgate]\033[0m %s\n' "$*"; }

# 1. The bundle: rebuilt only when a source or pom is newer than the jar.
if [[ ! -f "$bundle" ]] || [[ -n "$(find authorizer-spi audit-listener theme deploy pom.xml \( -path '*/src/*' -o -name pom.xml \) -newer "$bundle" -type f -print -quit)" ]]; then
  say "building the bundle (./mvnw package, tests skipped)"
  ./mvnw -q -B -pl deploy -am package -DskipTests
else
  say "bundle up to date: $bundle"
fi

# 2. Keycloak itself, from Maven Central, unpacked once.
if [[ ! -x "$home/bin/kc.sh" ]]; then
  say "fetching Keycloak $version from Maven Central"
  mkdir -p "$work"
  ./mvnw -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:unpack \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$work"
fi

# 3. Install the bundle; re-augment only when the bundle or the build options changed. Copy only a changed jar:
#    start --optimized refuses a provider jar whose modification time differs from the one seen at build time.
cmp -s "$bundle" "$home/providers/mintgate-keycloak.jar" || cp "$bundle" "$home/providers/mintgate-keycloak.jar"
fingerprint="$( (sha256sum "$home/providers/mintgate-keycloak.jar" | cut -d' ' -f1; stat -c %Y "$home/providers/mintgate-keycloak.jar"
                printf '%s\n' "${build_options[@]}") | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$home/.mintgate-build-fingerprint" 2>/dev/null)" != "$fingerprint" ]]; then
  say "kc.sh build (about a minute, only when the bundle changed)"
  "$home/bin/kc.sh" build "${build_options[@]}" > "$work/keycloak-build.log" 2>&1 \
    || { tail -40 "$work/keycloak-build.log"; exit 1; }
  echo "$fingerprint" > "$home/.mintgate-build-fingerprint"
fi

# 4. The demo realm is imported at start when it does not exist yet.
mkdir -p "$home/data/import"
cp "$root/deploy/demo-realm.json" "$home/data/import/mintgate-demo.json"

log="$work/keycloak.log"
say "starting Keycloak on http://localhost:$http_port (log: $log)"
"$home/bin/kc.sh" start --optimized --import-realm \
  --http-enabled=true --http-port="$http_port" --http-management-port="$mgmt_port" \
  --hostname-strict=false --cache=local \
  --bootstrap-admin-username=admin --bootstrap-admin-password=admin \
  --spi-events-listener--mintgate-audit--sinks=file \
  > "$log" 2>&1 &
server=$!

stop() {
  say "stopping Keycloak"
  pkill -TERM -P "$server" 2>/dev/null || true
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  exit 0
}
trap stop INT TERM

for _ in $(seq 1 240); do
  if curl -fs "http://localhost:$mgmt_port/health/ready" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then say "Keycloak exited; last log lines:"; tail -40 "$log"; exit 1; fi
  sleep 0.5
done
curl -fs "http://localhost:$mgmt_port/health/ready" > /dev/null || { say "not ready after 2 minutes"; tail -40 "$log"; stop; }

# 5. The console page's public client in the master realm (docs/console.md), with this run's address.
page="http://localhost:$http_port/realms/master/mintgate-console/"
kcadm=("$home/bin/kcadm.sh")
kc_config="$work/kcadm.config"
"${kcadm[@]}" config credentials --config "$kc_config" --server "http://localhost:$http_port" --realm master \
  --user admin --password admin > /dev/null
console_id="$("${kcadm[@]}" get clients -r master --config "$kc_config" -q clientId=mintgate-console \
  --fields id --format csv --noquotes)"
console_settings=(-s publicClient=true -s standardFlowEnabled=true -s implicitFlowEnabled=false
  -s directAccessGrantsEnabled=false -s serviceAccountsEnabled=false -s fullScopeAllowed=true
  -s "redirectUris=[\"$page\"]" -s 'webOrigins=["+"]' -s "baseUrl=$page"
  -s 'attributes."pkce.code.challenge.method"=S256' -s "attributes.\"post.logout.redirect.uris\"=$page")
if [[ -z "$console_id" ]]; then
  "${kcadm[@]}" create clients -r master --config "$kc_config" -s clientId=mintgate-console \
    -s 'name=Mintgate console' "${console_settings[@]}" > /dev/null
else
  "${kcadm[@]}" update "clients/$console_id" -r master --config "$kc_config" "${console_settings[@]}"
fi

token="http://localhost:$http_port/realms/mintgate-demo/protocol/openid-connect/token"
cat <<TRY

  Mintgate is running. Admin console: http://localhost:$http_port/admin (admin / admin),
  realm "mintgate-demo" -> Realm settings -> Client policies -> Profiles -> mintgate.
  Mintgate console page (same login): ${page}?realm=mintgate-demo

  Allowed: the CI runner, owned by an active user, gets a token:
    curl -s -u ci-runner:ci-runner-secret -d grant_type=client_credentials $token

  Refused (owner_inactive): billing-sync's owner, bob, has left (disabled):
    curl -s -u billing-sync:billing-sync-secret -d grant_type=client_credentials $token

  Refused (outside_approved_tools): the AI agent asks for a tool outside its allow-list:
    curl -s -u support-agent:support-agent-secret -d grant_type=client_credentials -d 'scope=payments:write' $token

  Allowed: the same agent, within its allow-list:
    curl -s -u support-agent:support-agent-secret -d grant_type=client_credentials -d 'scope=tickets:read' $token

  Audit records (CloudEvents, one per line): $home/data/mintgate-audit/audit.jsonl
  Ctrl-C stops the server.
TRY
wait "$server"
