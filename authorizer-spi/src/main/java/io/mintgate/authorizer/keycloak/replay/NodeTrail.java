package io.mintgate.authorizer.keycloak.replay;

import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This node's audit trail as the {@code mintgate-audit} listener's file sink writes it: the rotated files (named
 * {@code <base>-<yyyyMMdd'T'HHmmss.SSSSSS'Z'><ext>}, in write order when sorted) and then the current one. Found
 * through the listener's operational info (Keycloak's server info), the only contract between the two modules.
 */
final class NodeTrail {

    static final String LISTENER = "mintgate-audit";
    private static final Pattern STAMP = Pattern.compile("\\d{8}T\\d{6}\\.\\d{6}Z");

    /** Why there is no trail to read here, or null when {@link #files} can be read. */
    final String unavailable;
    private final Path current;

    private NodeTrail(Path current, String unavailable) {
        this.current = current;
        this.unavailable = unavailable;
    }

    static NodeTrail of(KeycloakSessionFactory factory) {
        ProviderFactory<?> listener = factory.getProviderFactory(EventListenerProvider.class, LISTENER);
        if (!(listener instanceof ServerInfoAwareProviderFactory info)) {
            return new NodeTrail(null, "the mintgate-audit event listener is not installed on this node");
        }
        Map<String, String> operational = info.getOperationalInfo();
        String path = operational == null ? null : operational.get("file-path");
        if (path == null) {
            return new NodeTrail(null, "this node's audit has no file sink (sinks: "
                    + (operational == null ? "?" : operational.get("sinks")) + ")");
        }
        if (!"json".equals(operational.get("file-format"))) {
            return new NodeTrail(null, "this node's file sink writes " + operational.get("file-format")
                    + ", not the CloudEvents records replay reads");
        }
        return new NodeTrail(Path.of(path), null);
    }

    /** The trail whose current file is {@code current} (tests). */
    static NodeTrail at(Path current) {
        return new NodeTrail(current, null);
    }

    /** The rotated files, oldest first, then the current file (when it exists). */
    List<Path> files() throws IOException {
        String name = current.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        List<Path> files = new ArrayList<>();
        Path dir = current.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> siblings = Files.list(dir)) {
                siblings.filter(p -> isRotated(p.getFileName().toString(), base, ext)).sorted().forEach(files::add);
            }
        }
        if (Files.exists(current)) {
            files.add(current);
        }
        return files;
    }

    private static boolean isRotated(String file, String base, String ext) {
        if (!file.startsWith(base + "-") || !file.endsWith(ext)) {
            return false;
        }
        String stamp = file.substring(base.length() + 1, file.length() - ext.length());
        return STAMP.matcher(stamp).matches();
    }
}
