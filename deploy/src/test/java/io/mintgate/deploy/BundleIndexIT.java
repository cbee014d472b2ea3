package io.mintgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;

/**
 * The built bundle's META-INF/jandex.idx is what Keycloak's build indexes the jar by: every REST sub-resource of
 * the admin API and the audit readiness check must be in it, and no relocated library (whose annotations would
 * turn its classes into beans or REST resources).
 */
class BundleIndexIT {

    @Test
    void theIndexCoversEveryMintgateClassTheServerMustFindAndNoShadedOne() throws Exception {
        Index index;
        try (JarFile jar = new JarFile(Path.of(System.getProperty("bundle.jar")).toFile())) {
            ZipEntry entry = jar.getEntry("META-INF/jandex.idx");
            assertThat(entry).as("META-INF/jandex.idx in the bundle").isNotNull();
            try (InputStream in = jar.getInputStream(entry)) {
                index = new IndexReader(in).read();
            }
            long mintgateClasses = jar.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("io/mintgate/") && !n.startsWith("io/mintgate/shaded/") && n.endsWith(".class"))
                    .count();
            assertThat(index.getKnownClasses()).hasSize((int) mintgateClasses);
        }
        List<String> names = index.getKnownClasses().stream().map(ClassInfo::name).map(DotName::toString).toList();
        assertThat(names).contains("io.mintgate.authorizer.keycloak.MintgateAdminResource",
                "io.mintgate.authorizer.keycloak.simulate.SimulateResource",
                "io.mintgate.authorizer.keycloak.replay.ReplayResource",
                "io.mintgate.authorizer.keycloak.surface.IssuanceSurfaceResource",
                "io.mintgate.audit.health.MintgateAuditReadiness");
        assertThat(names).noneMatch(n -> n.startsWith("io.mintgate.shaded."));
        assertThat(index.getAnnotations(DotName.createSimple("org.eclipse.microprofile.health.Readiness"))).hasSize(1);
    }
}
