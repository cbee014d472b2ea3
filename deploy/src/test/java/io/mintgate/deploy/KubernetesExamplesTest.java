package io.mintgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes examples in deploy/kubernetes are valid for what they name: Kubernetes API types (fabric8 model,
 * unknown fields rejected), the Keycloak CR's v2beta1 fields, the keycloakx chart's keys, Keycloak's feature
 * names, Mintgate's documented audit options, and the Secrets, volumes and claims they refer to. Each check is also
 * shown to reject a broken copy, naming what is wrong.
 */
class KubernetesExamplesTest {

    private static final Map<String, Set<String>> SECRETS = Manifests.secrets();
    private static final Set<String> FEATURES = Manifests.keycloakFeatures();
    private static final Set<String> OPTIONS = Manifests.documentedAuditOptions();

    private static List<JsonNode> operatorExample() {
        return Manifests.yamlDocuments(Manifests.DEPLOY.resolve("kubernetes/operator/keycloak.yaml"));
    }

    private static JsonNode helmValues() {
        return Manifests.yamlDocuments(Manifests.DEPLOY.resolve("kubernetes/helm/keycloakx-values.yaml")).get(0);
    }

    private static List<String> operatorProblems(List<JsonNode> docs) {
        return OperatorExample.problems(docs, SECRETS, FEATURES, OPTIONS);
    }

    private static List<String> helmProblems(JsonNode values) {
        return HelmValues.problems(values, SECRETS, FEATURES, OPTIONS);
    }

    /** A deep copy of the operator example with {@code change} applied to its Keycloak resource. */
    private static List<JsonNode> brokenKeycloak(Consumer<ObjectNode> change) {
        List<JsonNode> docs = operatorExample().stream().<JsonNode>map(JsonNode::deepCopy).toList();
        docs.stream().filter(d -> "Keycloak".equals(d.path("kind").asText())).forEach(d -> change.accept((ObjectNode) d));
        return docs;
    }

    private static ObjectNode brokenHelm(String key, String from, String to) {
        ObjectNode values = helmValues().deepCopy();
        String text = values.path(key).asText();
        assertThat(text).contains(from);
        values.put(key, text.replace(from, to));
        return values;
    }

    private static ObjectNode option(ObjectNode keycloak, String name) {
        for (JsonNode o : keycloak.path("spec").path("additionalOptions")) {
            if (o.path("name").asText().equals(name)) {
                return (ObjectNode) o;
            }
        }
        throw new AssertionError("no option " + name);
    }

    @Test
    void referenceListsAreReadFromTheirSources() {
        // Guards the checks below against passing because a list they compare with came out empty.
        assertThat(FEATURES).contains("token-exchange-delegation", "spiffe", "dpop");
        assertThat(OPTIONS).contains("spool-dir", "sinks", "http-bearer-token", "kafka-properties-file",
                "checkpoint-key", "kafka-property-");
        assertThat(SECRETS).containsKeys("keycloak-db", "mintgate-audit-http", "mintgate-audit-kafka",
                "mintgate-checkpoint-key");
    }

    @Test
    void operatorExampleIsValid() {
        assertThat(operatorProblems(operatorExample())).isEmpty();
    }

    @Test
    void helmValuesAreValid() {
        assertThat(helmProblems(helmValues())).isEmpty();
    }

    @Test
    void aPodTemplateFieldKubernetesDoesNotKnowIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k -> {
            ObjectNode mount = (ObjectNode) k.at("/spec/unsupported/podTemplate/spec/containers/0/volumeMounts/0");
            mount.set("subPathExpression", mount.remove("subPathExpr"));
        });
        assertThat(operatorProblems(docs)).singleElement().asString()
                .contains("spec.unsupported.podTemplate", "unknown field \"subPathExpression\"", "VolumeMount");
    }

    @Test
    void aClaimTemplateInTheKeycloakSpecIsRejected() {
        // The field people reach for to get a PVC per pod: the v2beta1 Keycloak CR has none.
        List<JsonNode> docs = brokenKeycloak(k -> ((ObjectNode) k.path("spec")).putArray("volumeClaimTemplates"));
        assertThat(operatorProblems(docs)).singleElement().asString().contains("volumeClaimTemplates");
    }

    @Test
    void anOptionWithBothAValueAndASecretIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k ->
                option(k, Manifests.AUDIT_OPTION_PREFIX + "http-bearer-token").put("value", "in-clear"));
        assertThat(operatorProblems(docs)).isNotEmpty().allSatisfy(p -> assertThat(p).contains("additionalOptions"));
    }

    @Test
    void anUnknownFeatureIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k -> ((ArrayNode) k.at("/spec/features/enabled")).add("spiffee"));
        assertThat(operatorProblems(docs)).singleElement().asString().contains("\"spiffee\" is not a Keycloak");
    }

    @Test
    void anUndocumentedAuditOptionIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k ->
                option(k, Manifests.AUDIT_OPTION_PREFIX + "spool-dir").put("name", Manifests.AUDIT_OPTION_PREFIX + "spooldir"));
        assertThat(operatorProblems(docs)).anySatisfy(p -> assertThat(p).contains("\"spooldir\" is not an option"));
    }

    @Test
    void aSecretKeyThatSecretsDoNotHoldIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k ->
                ((ObjectNode) option(k, Manifests.AUDIT_OPTION_PREFIX + "http-hmac-secret").path("secret"))
                        .put("key", "hmac"));
        assertThat(operatorProblems(docs)).singleElement().asString()
                .contains("http-hmac-secret", "Secret \"mintgate-audit-http\" has no key \"hmac\"");
    }

    @Test
    void aSpoolOffThePersistentVolumeIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k ->
                option(k, Manifests.AUDIT_OPTION_PREFIX + "spool-dir").put("value", "/opt/keycloak/data/audit"));
        assertThat(operatorProblems(docs)).singleElement().asString()
                .contains("nothing is mounted at the spool-dir /opt/keycloak/data/audit");
    }

    @Test
    void aCheckpointKeyFileTheSecretDoesNotHoldIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k ->
                option(k, Manifests.AUDIT_OPTION_PREFIX + "checkpoint-key").put("value", "/etc/mintgate/checkpoint/key.jwk"));
        assertThat(operatorProblems(docs)).singleElement().asString()
                .contains("Secret \"mintgate-checkpoint-key\" has no key \"key.jwk\"");
    }

    @Test
    void aServiceMonitorWithoutMetricsEnabledInTheOptionsIsRejected() {
        List<JsonNode> docs = brokenKeycloak(k -> {
            ArrayNode options = (ArrayNode) k.at("/spec/additionalOptions");
            for (int i = 0; i < options.size(); i++) {
                if (options.get(i).path("name").asText().equals("metrics-enabled")) {
                    options.remove(i);
                }
            }
        });
        assertThat(operatorProblems(docs)).singleElement().asString()
                .contains("spec.serviceMonitor", "metrics-enabled=true");
    }

    @Test
    void aKafkaPropertyAsAnEnvironmentVariableIsRejected() {
        ObjectNode values = brokenHelm("extraEnv", "KAFKA_PROPERTIES_FILE", "KAFKA_PROPERTY_SASL_MECHANISM");
        assertThat(helmProblems(values)).singleElement().asString()
                .contains("\"kafka-property-sasl-mechanism\"", "never reaches the Kafka producer");
    }

    @Test
    void aHelmEnvVarFieldKubernetesDoesNotKnowIsRejected() {
        ObjectNode values = brokenHelm("extraEnv", "secretKeyRef:", "secretRef:");
        assertThat(helmProblems(values)).singleElement().asString()
                .contains("extraEnv", "unknown field \"secretRef\"", "EnvVarSource");
    }

    @Test
    void aHelmMountOfAnUndeclaredVolumeIsRejected() {
        ObjectNode values = brokenHelm("extraVolumeMounts", "name: mintgate-spool", "name: spool");
        assertThat(helmProblems(values)).anySatisfy(p ->
                assertThat(p).contains("volumeMounts spool: no volume or claim template of that name"));
    }

    @Test
    void aHelmValueTheChartDoesNotHaveIsRejected() {
        ObjectNode values = helmValues().deepCopy();
        values.putObject("extraVolumeClaimTemplates");
        assertThat(helmProblems(values)).singleElement().asString().contains("extraVolumeClaimTemplates");
    }

    @Test
    void aHelmClaimTemplateWithAMisspeltFieldIsRejected() {
        ObjectNode values = brokenHelm("volumeClaimTemplates", "accessModes:", "accessMode:");
        assertThat(helmProblems(values)).singleElement().asString()
                .contains("volumeClaimTemplates", "unknown field \"accessMode\"");
    }
}
