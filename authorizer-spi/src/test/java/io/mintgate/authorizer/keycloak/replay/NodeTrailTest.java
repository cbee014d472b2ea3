package io.mintgate.authorizer.keycloak.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

class NodeTrailTest {

    @TempDir
    Path dir;

    @Test
    void theRotatedFilesComeOldestFirstThenTheCurrentOne() throws Exception {
        for (String name : List.of("audit.jsonl", "audit-20260301T100000.000002Z.jsonl",
                "audit-20260301T090000.000001Z.jsonl", "audit-copy.jsonl", "other-20260301T090000.000001Z.jsonl",
                "audit-20260301T100000.000002Z.jsonl.gz")) {
            Files.writeString(dir.resolve(name), "");
        }

        List<Path> files = NodeTrail.at(dir.resolve("audit.jsonl")).files();

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "audit-20260301T090000.000001Z.jsonl", "audit-20260301T100000.000002Z.jsonl", "audit.jsonl");
    }

    @Test
    void withoutAJsonFileSinkThereIsNoTrailAndTheReasonSaysWhy() {
        assertThat(NodeTrail.of(factory(null)).unavailable).contains("mintgate-audit event listener is not installed");
        assertThat(NodeTrail.of(factory(Map.of("sinks", "kafka"))).unavailable).contains("no file sink (sinks: kafka)");
        assertThat(NodeTrail.of(factory(Map.of("sinks", "file", "file-path", "/x/audit.jsonl", "file-format", "ocsf")))
                .unavailable).contains("writes ocsf");
        NodeTrail trail = NodeTrail.of(factory(Map.of("sinks", "file", "file-path", dir.resolve("a.jsonl").toString(),
                "file-format", "json")));
        assertThat(trail.unavailable).isNull();
    }

    /** A session factory whose mintgate-audit listener reports {@code info} (null: no such listener). */
    private static KeycloakSessionFactory factory(Map<String, String> info) {
        Object listener = info == null ? null : Proxy.newProxyInstance(NodeTrailTest.class.getClassLoader(),
                new Class<?>[]{EventListenerProviderFactory.class, ServerInfoAwareProviderFactory.class},
                (proxy, method, args) -> method.getName().equals("getOperationalInfo") ? info : null);
        return (KeycloakSessionFactory) Proxy.newProxyInstance(NodeTrailTest.class.getClassLoader(),
                new Class<?>[]{KeycloakSessionFactory.class},
                (proxy, method, args) -> method.getName().equals("getProviderFactory") && args != null && args.length == 2
                        && NodeTrail.LISTENER.equals(args[1]) ? listener : null);
    }
}
