package io.mintgate.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/Containerfile builds on the Keycloak version this build targets, with the features the integration tests
 * run with (and that the Kubernetes examples repeat), and copies the jar this module builds. No container engine
 * runs here: these are the facts about the file that can be checked without one.
 */
class ContainerfileTest {

    private static final String CONTAINERFILE = Manifests.read(Manifests.DEPLOY.resolve("Containerfile"));

    /** Instructions with their continuation lines joined, comments dropped. */
    private static List<String> instructions() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : CONTAINERFILE.split("\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            current.append(line.strip());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                current.append(' ');
            } else {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        return out;
    }

    private static List<String> features(String csv) {
        return Manifests.csv(csv);
    }

    private static String containerfileFeatures() {
        Matcher m = Pattern.compile("KC_FEATURES=(\\S+)").matcher(CONTAINERFILE);
        assertThat(m.find()).as("KC_FEATURES in the Containerfile").isTrue();
        return m.group(1);
    }

    @Test
    void everyInstructionIsOneAContainerBuildKnows() {
        assertThat(instructions()).isNotEmpty().allSatisfy(i -> assertThat(i.split(" ")[0])
                .isIn("ARG", "FROM", "ENV", "COPY", "RUN", "ENTRYPOINT", "CMD", "USER", "WORKDIR", "LABEL"));
    }

    @Test
    void buildsOnTheOfficialImageOfTheTargetedKeycloak() {
        assertThat(instructions()).contains("ARG KEYCLOAK_IMAGE=quay.io/keycloak/keycloak:" + Manifests.keycloakVersion());
        assertThat(instructions()).filteredOn(i -> i.startsWith("FROM ${KEYCLOAK_IMAGE}")).hasSize(2);
        assertThat(instructions()).contains("RUN /opt/keycloak/bin/kc.sh build",
                "COPY --from=builder /opt/keycloak/ /opt/keycloak/", "CMD [\"start\", \"--optimized\"]");
    }

    @Test
    void buildsForPostgresWithHealthAndMetrics() {
        assertThat(CONTAINERFILE).contains("KC_DB=postgres", "KC_HEALTH_ENABLED=true", "KC_METRICS_ENABLED=true");
    }

    @Test
    void featuresAreTheIntegrationTestsOnesAndKeycloakKnowsThem() {
        List<String> features = features(containerfileFeatures());
        assertThat(features).isEqualTo(Manifests.integrationTestFeatures());
        assertThat(features).allSatisfy(f -> assertThat(Manifests.keycloakFeatures()).contains(f));
    }

    @Test
    void theKubernetesExamplesNameTheImagesBuildOptions() {
        List<String> features = features(containerfileFeatures());
        var keycloak = Manifests.yamlDocuments(Manifests.DEPLOY.resolve("kubernetes/operator/keycloak.yaml")).stream()
                .filter(d -> "Keycloak".equals(d.path("kind").asText())).findFirst().orElseThrow();
        List<String> crFeatures = new ArrayList<>();
        keycloak.at("/spec/features/enabled").forEach(f -> crFeatures.add(f.asText()));
        assertThat(crFeatures).isEqualTo(features);
        assertThat(keycloak.at("/spec/db/vendor").asText()).isEqualTo("postgres");
        List<String> options = new ArrayList<>();
        keycloak.at("/spec/additionalOptions").forEach(o -> options.add(o.path("name").asText() + "=" + o.path("value").asText()));
        assertThat(options).contains("health-enabled=true", "metrics-enabled=true");

        var values = Manifests.yamlDocuments(Manifests.DEPLOY.resolve("kubernetes/helm/keycloakx-values.yaml")).get(0);
        assertThat(values.at("/image/tag").asText()).isEqualTo(Manifests.keycloakVersion());
        assertThat(values.at("/database/vendor").asText()).isEqualTo("postgres");
        assertThat(values.at("/health/enabled").asBoolean()).isTrue();
        assertThat(values.at("/metrics/enabled").asBoolean()).isTrue();
        assertThat(values.at("/extraEnv").asText()).contains("value: " + containerfileFeatures() + "\n");
    }

    @Test
    void copiesTheJarThisModuleBuilds() {
        Matcher copy = Pattern.compile("COPY (?:--\\S+ )*(deploy/target/\\S+) ").matcher(CONTAINERFILE);
        List<String> sources = new ArrayList<>();
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        String jar = "deploy/target/" + System.getProperty("bundle.finalName") + ".jar";
        assertThat(sources).hasSize(2).allSatisfy(glob ->
                assertThat(FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(jar)))
                        .as("%s matches %s", glob, jar).isTrue());
    }
}
