package io.mintgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is wrong with deploy/kubernetes/operator/keycloak.yaml (or a changed copy of it): its Keycloak CR against the
 * v2beta1 fields, the Kubernetes types inside it against the fabric8 model, and the references between its parts.
 */
final class OperatorExample {

    private OperatorExample() {
    }

    static List<String> problems(List<JsonNode> documents, Map<String, Set<String>> secrets, Set<String> features,
                                 Set<String> auditOptions) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> claims = new HashMap<>();
        JsonNode keycloak = null;
        for (JsonNode doc : documents) {
            String kind = doc.path("kind").asText();
            String name = doc.path("metadata").path("name").asText();
            switch (kind) {
                case "PersistentVolumeClaim" -> {
                    StrictKubernetes.problem("PersistentVolumeClaim " + name, doc, PersistentVolumeClaim.class)
                            .ifPresent(problems::add);
                    claims.put(name, doc);
                }
                case "Keycloak" -> keycloak = doc;
                default -> problems.add("unexpected document kind \"" + kind + "\"");
            }
        }
        if (keycloak == null) {
            problems.add("no Keycloak resource");
            return problems;
        }
        Manifests.schemaProblems("keycloak-cr-v2beta1.schema.json", keycloak).forEach(p -> problems.add("Keycloak " + p));
        JsonNode spec = keycloak.path("spec");

        for (JsonNode f : spec.path("features").path("enabled")) {
            if (!features.contains(f.asText())) {
                problems.add("Keycloak spec.features.enabled: \"" + f.asText() + "\" is not a Keycloak "
                        + Manifests.keycloakVersion() + " feature");
            }
        }
        for (String ref : List.of("usernameSecret", "passwordSecret")) {
            JsonNode s = spec.path("db").path(ref);
            problems.addAll(Manifests.secretRefProblems("Keycloak spec.db." + ref, s.path("name").asText(),
                    s.path("key").asText(), secrets));
        }

        Map<String, String> options = new HashMap<>();
        for (JsonNode o : spec.path("additionalOptions")) {
            String name = o.path("name").asText();
            String where = "Keycloak spec.additionalOptions " + name;
            if (name.startsWith(Manifests.AUDIT_OPTION_PREFIX)) {
                String option = name.substring(Manifests.AUDIT_OPTION_PREFIX.length());
                if (!Manifests.isDocumentedAuditOption(option, auditOptions)) {
                    problems.add(where + ": \"" + option + "\" is not an option of docs/audit-operations.md");
                }
                // The Operator hands options to the server as environment variables.
                problems.addAll(Manifests.kafkaPropertyProblems(where, option));
            }
            if (o.has("secret")) {
                problems.addAll(Manifests.secretRefProblems(where, o.path("secret").path("name").asText(),
                        o.path("secret").path("key").asText(), secrets));
            } else {
                options.put(name, o.path("value").asText());
            }
        }

        // The Operator's ServiceMonitor precondition reads metrics-enabled from the CR's options, not from the image.
        if (spec.path("serviceMonitor").path("enabled").asBoolean(true)
                && !"true".equals(options.get("metrics-enabled"))) {
            problems.add("Keycloak spec.serviceMonitor: the Operator creates no ServiceMonitor unless additionalOptions"
                    + " set metrics-enabled=true");
        }

        JsonNode podTemplate = spec.path("unsupported").path("podTemplate");
        StrictKubernetes.problem("Keycloak spec.unsupported.podTemplate", podTemplate, PodTemplateSpec.class)
                .ifPresent(problems::add);
        problems.addAll(PodVolumes.problems("Keycloak spec.unsupported.podTemplate.spec",
                podTemplate.path("spec").path("volumes"),
                podTemplate.path("spec").path("containers").path(0).path("volumeMounts"),
                List.of(), claims.keySet(), secrets,
                options.get(Manifests.AUDIT_OPTION_PREFIX + "spool-dir"), secretFiles(options)));
        return problems;
    }

    /** The files the audit options read, which the example mounts from Secrets. */
    static List<String> secretFiles(Map<String, String> options) {
        return Manifests.SECRET_FILE_OPTIONS.stream().map(o -> options.get(Manifests.AUDIT_OPTION_PREFIX + o))
                .filter(java.util.Objects::nonNull).toList();
    }
}
