package io.mintgate.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The shade relocations of the bundle rewrite string constants that look like relocated packages. They must not
 * touch Mintgate's own option values: a bare {@code kafka} relocation turned the audit sink name "kafka" into
 * "io.mintgate.shaded.kafka", so {@code sinks=kafka} failed the server start with "unknown audit sink". Reads the
 * installed bundle jar only; no server.
 */
class BundleRelocationIT {

    @Test
    void mintgateClassesKeepTheirKafkaSinkNameWhileKafkaClientsResourcesAreRelocated() throws IOException {
        Path bundle = Path.of(System.getProperty("it.bundle.jar", "target/keycloak/providers/mintgate-keycloak.jar"));
        List<String> rewritten = new ArrayList<>();
        try (JarFile jar = new JarFile(bundle.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("io/mintgate/") && !name.startsWith("io/mintgate/shaded/") && name.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        // class file constants are modified UTF-8: plain ASCII here
                        String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                        if (bytes.contains("io.mintgate.shaded.kafka")) {
                            rewritten.add(name);
                        }
                    }
                }
            }
            assertThat(rewritten).as("Mintgate classes whose \"kafka\" constant the relocation rewrote").isEmpty();
            assertThat(jar.getEntry("io/mintgate/shaded/kafka/kafka-version.properties"))
                    .as("kafka-clients' version resource, relocated").isNotNull();
            assertThat(jar.getEntry("kafka/kafka-version.properties")).as("unrelocated kafka resource").isNull();
        }
    }

    /**
     * Jackson is not bundled (Keycloak provides it), so {@code java -jar mintgate-keycloak.jar verify} failed with
     * NoClassDefFoundError: the manifest's Class-Path must name Keycloak's Jackson jars relative to providers/.
     */
    @Test
    void theCliJarFindsKeycloaksJacksonWhenRunFromTheProvidersDirectory() throws IOException {
        Path bundle = Path.of(System.getProperty("it.bundle.jar", "target/keycloak/providers/mintgate-keycloak.jar"));
        try (JarFile jar = new JarFile(bundle.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).as("manifest Class-Path").isNotBlank();
            List<String> missing = new ArrayList<>();
            for (String entry : classPath.trim().split("\\s+")) {
                if (!bundle.toAbsolutePath().getParent().resolve(entry).normalize().toFile().isFile()) {
                    missing.add(entry);
                }
            }
            assertThat(classPath).contains("jackson-databind", "jackson-core", "jackson-annotations");
            assertThat(missing).as("Class-Path entries not in this Keycloak distribution").isEmpty();
        }
    }
}
