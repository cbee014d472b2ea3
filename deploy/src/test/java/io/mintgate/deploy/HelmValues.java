package io.mintgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is wrong with deploy/kubernetes/helm/keycloakx-values.yaml (or a changed copy): the chart keys against the
 * chart's value types, each template string parsed and bound to the Kubernetes type the chart renders it into,
 * and the references between them.
 */
final class HelmValues {

    /** The chart's template strings and the Kubernetes list each is rendered into (templates/statefulset.yaml). */
    private static final Map<String, Class<?>> TEMPLATE_LISTS = Map.of(
            "extraInitContainers", Container.class,
            "extraEnv", EnvVar.class,
            "extraVolumes", Volume.class,
            "extraVolumeMounts", VolumeMount.class,
            "volumeClaimTemplates", PersistentVolumeClaim.class);

    private HelmValues() {
    }

    static List<String> problems(JsonNode values, Map<String, Set<String>> secrets, Set<String> features,
                                 Set<String> auditOptions) {
        List<String> problems = new ArrayList<>(Manifests.schemaProblems("keycloakx-values.schema.json", values));
        for (var entry : TEMPLATE_LISTS.entrySet()) {
            JsonNode text = values.path(entry.getKey());
            if (!text.isTextual()) {
                continue;
            }
            if (text.asText().contains("{{")) {
                problems.add(entry.getKey() + ": holds Helm template syntax; this check reads plain YAML only");
                continue;
            }
            StrictKubernetes.listProblem(entry.getKey(), Manifests.yaml(text.asText()), entry.getValue())
                    .ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            return problems;
        }

        List<String> claimTemplates = new ArrayList<>();
        for (JsonNode claim : list(values, "volumeClaimTemplates")) {
            claimTemplates.add(claim.path("metadata").path("name").asText());
        }
        String spoolDir = null;
        List<String> secretFiles = new ArrayList<>();
        for (JsonNode env : list(values, "extraEnv")) {
            String name = env.path("name").asText();
            if (name.equals("KC_FEATURES")) {
                for (String f : Manifests.csv(env.path("value").asText())) {
                    if (!features.contains(f)) {
                        problems.add("extraEnv KC_FEATURES: \"" + f + "\" is not a Keycloak "
                                + Manifests.keycloakVersion() + " feature");
                    }
                }
            }
            if (name.startsWith(Manifests.AUDIT_ENV_PREFIX)) {
                String option = Manifests.auditOptionOfEnv(name);
                if (!Manifests.isDocumentedAuditOption(option, auditOptions)) {
                    problems.add("extraEnv " + name + ": \"" + option + "\" is not an option of docs/audit-operations.md");
                }
                problems.addAll(Manifests.kafkaPropertyProblems("extraEnv " + name, option));
                if (option.equals("spool-dir")) {
                    spoolDir = env.path("value").asText();
                }
                if (Manifests.SECRET_FILE_OPTIONS.contains(option)) {
                    secretFiles.add(env.path("value").asText());
                }
            }
            JsonNode ref = env.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                problems.addAll(Manifests.secretRefProblems("extraEnv " + name, ref.path("name").asText(),
                        ref.path("key").asText(), secrets));
            }
        }
        String dbSecret = values.path("database").path("existingSecret").asText(null);
        if (dbSecret != null) {
            problems.addAll(Manifests.secretRefProblems("database.existingSecret", dbSecret,
                    values.path("database").path("existingSecretKey").asText(null), secrets));
        }
        for (JsonNode init : list(values, "extraInitContainers")) {
            problems.addAll(PodVolumes.problems("extraInitContainers " + init.path("name").asText(),
                    list(values, "extraVolumes"), init.path("volumeMounts"), claimTemplates, Set.of(), secrets,
                    null, List.of()));
        }
        problems.addAll(PodVolumes.problems("keycloak container", list(values, "extraVolumes"),
                list(values, "extraVolumeMounts"), claimTemplates, Set.of(), secrets, spoolDir, secretFiles));
        return problems;
    }

    private static JsonNode list(JsonNode values, String key) {
        JsonNode text = values.path(key);
        return text.isTextual() ? Manifests.yaml(text.asText()) : Manifests.YAML.createArrayNode();
    }
}
