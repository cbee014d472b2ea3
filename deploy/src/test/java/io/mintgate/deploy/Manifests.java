package io.mintgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.keycloak.common.Profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The deploy assets as the tests read them, and the references they are checked against. */
final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();

    /** The module folder (surefire runs there); the repository is its parent. */
    static final Path DEPLOY = Path.of("").toAbsolutePath();
    static final Path REPO = DEPLOY.getParent();

    static final String AUDIT_OPTION_PREFIX = "spi-events-listener--mintgate-audit--";
    static final String AUDIT_ENV_PREFIX = "KC_SPI_EVENTS_LISTENER__MINTGATE_AUDIT__";
    /** Audit options whose value is a file the examples mount from a Secret. */
    static final List<String> SECRET_FILE_OPTIONS = List.of("checkpoint-key", "kafka-properties-file");

    private Manifests() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> yamlDocuments(Path file) {
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            return new ArrayList<>(YAML.readValues(parser, JsonNode.class).readAll());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Violations of a JSON Schema (draft 2020-12) from src/test/resources/schemas, one line each. */
    static List<String> schemaProblems(String schema, JsonNode node) {
        try (InputStream in = Manifests.class.getResourceAsStream("/schemas/" + schema)) {
            if (in == null) {
                throw new IllegalStateException(schema + " is not on the test classpath");
            }
            JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
            return s.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Keycloak version the bundle is built for (the parent pom's keycloak.version, passed by surefire). */
    static String keycloakVersion() {
        String v = System.getProperty("keycloak.version");
        if (v == null) {
            throw new IllegalStateException("run through Maven: surefire passes keycloak.version");
        }
        return v;
    }

    /** Feature names Keycloak accepts in --features: each feature's key, unversioned and versioned. */
    static Set<String> keycloakFeatures() {
        Set<String> names = new LinkedHashSet<>();
        for (Profile.Feature f : Profile.Feature.values()) {
            names.add(f.getUnversionedKey());
            names.add(f.getVersionedKey());
        }
        return names;
    }

    /** The features the integration tests build Keycloak with (it-tests ServerOptions.FEATURES), in order. */
    static List<String> integrationTestFeatures() {
        String source = read(REPO.resolve("it-tests/src/test/java/io/mintgate/it/harness/ServerOptions.java"));
        Matcher block = Pattern.compile("FEATURES = String\\.join\\(\",\",(.*?)\\);", Pattern.DOTALL).matcher(source);
        if (!block.find()) {
            throw new IllegalStateException("ServerOptions.FEATURES not found");
        }
        String withoutComments = block.group(1).replaceAll("//[^\\n]*", "");
        List<String> features = new ArrayList<>();
        Matcher literal = Pattern.compile("\"([^\"]+)\"").matcher(withoutComments);
        while (literal.find()) {
            features.add(literal.group(1));
        }
        return features;
    }

    /**
     * The audit listener's options as docs/audit-operations.md documents them (the Options table, first column):
     * what a manifest may set after {@code spi-events-listener--mintgate-audit--}. {@code kafka-property-<name>} is
     * kept as the prefix {@code kafka-property-}.
     */
    static Set<String> documentedAuditOptions() {
        String doc = read(REPO.resolve("docs/audit-operations.md"));
        int start = doc.indexOf("| Option |");
        if (start < 0) {
            throw new IllegalStateException("no Options table in docs/audit-operations.md");
        }
        Set<String> options = new LinkedHashSet<>();
        for (String line : doc.substring(start).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            String firstCell = line.split("\\|")[1];
            Matcher name = Pattern.compile("`([a-z0-9-]+)(<name>)?`").matcher(firstCell);
            while (name.find()) {
                options.add(name.group(1));
            }
        }
        return options;
    }

    /** Whether {@code option} (the part after the listener prefix) is documented. */
    static boolean isDocumentedAuditOption(String option, Set<String> documented) {
        return documented.contains(option)
                || (option.startsWith("kafka-property-") && option.length() > "kafka-property-".length()
                    && documented.contains("kafka-property-"));
    }

    /**
     * Measured on Keycloak 26.7.3: a {@code kafka-property-<name>} option given as an environment variable never
     * reaches the producer (Keycloak does not list environment-variable options to the provider), so the TLS/SASL
     * settings of a containerised server must come from {@code kafka-properties-file}.
     */
    static List<String> kafkaPropertyProblems(String where, String option) {
        return option.startsWith("kafka-property-")
                ? List.of(where + ": \"" + option + "\" given as an environment variable never reaches the Kafka"
                        + " producer; put it in kafka-properties-file")
                : List.of();
    }

    /** Keycloak's environment-variable form back to the option: KC_SPI_..._HTTP_URL -> http-url. */
    static String auditOptionOfEnv(String env) {
        return env.substring(AUDIT_ENV_PREFIX.length()).toLowerCase().replace('_', '-');
    }

    /** Secret name -> its keys, from deploy/kubernetes/secrets.yaml. */
    static Map<String, Set<String>> secrets() {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (JsonNode doc : yamlDocuments(DEPLOY.resolve("kubernetes/secrets.yaml"))) {
            if (!"Secret".equals(doc.path("kind").asText())) {
                continue;
            }
            Set<String> keys = new LinkedHashSet<>();
            doc.path("stringData").fieldNames().forEachRemaining(keys::add);
            doc.path("data").fieldNames().forEachRemaining(keys::add);
            secrets.put(doc.path("metadata").path("name").asText(), keys);
        }
        return secrets;
    }

    /** "name/key is not in secrets.yaml" problems for a Secret reference, if any. */
    static List<String> secretRefProblems(String where, String name, String key, Map<String, Set<String>> secrets) {
        if (!secrets.containsKey(name)) {
            return List.of(where + ": Secret \"" + name + "\" is not defined in kubernetes/secrets.yaml");
        }
        if (key != null && !secrets.get(name).contains(key)) {
            return List.of(where + ": Secret \"" + name + "\" has no key \"" + key + "\" in kubernetes/secrets.yaml");
        }
        return List.of();
    }

    static List<String> csv(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }
}
