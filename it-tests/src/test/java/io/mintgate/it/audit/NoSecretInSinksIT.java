package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.FILE_TRAIL;
import static io.mintgate.it.audit.AuditGrants.SINK_TIMEOUT;
import static io.mintgate.it.audit.AuditGrants.accessToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No credential reaches any sink: after driving the grants (and whatever the other audit tests in this JVM issued),
 * the file sink outputs, the spool segments, the collector's raw batches and the raw Kafka keys and values are
 * searched, by value, for every access, refresh and id token a client received, every client secret and user
 * password of the test realm, the admin client secret and the HMAC secret.
 */
@MintgateIT
class NoSecretInSinksIT {

    private KeycloakRuntime keycloak;
    private AuditSinks sinks;
    private RealmFixture realm;
    private AuditGrants grants;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        this.keycloak = keycloak;
        this.sinks = sinks;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    @Test
    void noTokenSecretOrPasswordInAnySink() throws IOException {
        // Issue through every path (tokens are remembered in AuditGrants.ISSUED_TOKENS), refusals included.
        List<String> jtis = new ArrayList<>();
        jtis.add(jti(grants.clientCredentials("svc")));
        grants.clientCredentials("svc-flagged");
        TokenResponse alice = grants.password("alice");
        jtis.add(jti(alice));
        grants.password("mallory");
        RefreshToken refresh = alice.toSuccessResponse().getTokens().getRefreshToken();
        jtis.add(jti(grants.refresh(refresh)));
        jtis.add(jti(grants.codeFlow("alice")));
        jtis.add(jti(grants.exchange("exchanger", accessToken(alice))));
        grants.exchange("exchanger-flagged", accessToken(alice));
        sinks.awaitAllInEach(keycloak, FILE_TRAIL, "this test's issuance records", jtis,
                r -> r.at("/data/tokenId").asText(), SINK_TIMEOUT);

        Map<String, String> secrets = new LinkedHashMap<>();
        JsonNode realmJson = RealmFixture.load("grants.json");
        for (JsonNode client : realmJson.path("clients")) {
            if (client.hasNonNull("secret")) {
                secrets.put("secret of client " + client.get("clientId").asText(), client.get("secret").asText());
            }
        }
        for (JsonNode user : realmJson.path("users")) {
            for (JsonNode credential : user.path("credentials")) {
                secrets.put("password of " + user.get("username").asText(), credential.get("value").asText());
            }
        }
        secrets.put("admin client secret", ServerOptions.ADMIN_CLIENT_SECRET);
        secrets.put("HMAC secret", sinks.hmacSecret());
        int tokenNo = 0;
        for (String token : AuditGrants.ISSUED_TOKENS) {
            secrets.put("issued token #" + (++tokenNo) + " (" + token.substring(0, Math.min(20, token.length())) + "...)",
                    token);
        }
        assertThat(tokenNo).as("tokens issued in this JVM").isGreaterThanOrEqualTo(jtis.size());

        Map<String, String> contents = new LinkedHashMap<>();
        Path data = keycloak instanceof io.mintgate.it.harness.DistributionKeycloak d ? d.home().resolve("data") : null;
        if (data != null) {
            // every file sink output and spool segment of every spool directory the tests used
            try (Stream<Path> files = Files.walk(data)) {
                for (Path f : files.filter(Files::isRegularFile)
                        .filter(f -> f.getParent().getFileName().toString().startsWith("mintgate-audit"))
                        .filter(f -> !f.getFileName().toString().equals("checkpoint-key.jwk")).toList()) {
                    contents.put(data.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
        } else {
            contents.put(FILE_TRAIL, keycloak.readServerFile(FILE_TRAIL).orElse(""));
        }
        contents.put("HTTP collector batches", String.join("\n", sinks.http().acceptedBodies()));
        contents.put("Kafka topic keys and values", String.join("\n", sinks.kafkaRawContent()));
        contents.put("syslog messages (OCSF over TLS)", sinks.syslog().rawTls());

        Set<String> leaks = new LinkedHashSet<>();
        long bytes = 0;
        for (var content : contents.entrySet()) {
            bytes += content.getValue().length();
            for (var secret : secrets.entrySet()) {
                if (content.getValue().contains(secret.getValue())) {
                    leaks.add(secret.getKey() + " in " + content.getKey());
                }
            }
        }
        assertThat(contents.get("HTTP collector batches")).isNotEmpty();
        assertThat(contents.get("Kafka topic keys and values")).isNotEmpty();
        assertThat(leaks).as("secrets found in sink content").isEmpty();
        System.out.printf("[no-secret] %d secrets/tokens searched in %d sink outputs (%d chars): none found%n",
                secrets.size(), contents.size(), bytes);
    }

    private static String jti(TokenResponse response) {
        try {
            return SignedJWT.parse(accessToken(response)).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
