package io.mintgate.audit.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The {@code mintgate-audit} check on Keycloak's management port ({@code /health}, {@code /health/ready}, with
 * {@code --health-enabled=true}). Keycloak has no SPI for health checks, but its build ({@code kc.sh build}) runs
 * Quarkus' bean discovery over every archive that carries a Jandex index: the bundle's {@code META-INF/jandex.idx}
 * lists this one class (written by the audit-listener build), so the server finds this bean and nothing else of
 * the bundle. What it reports is {@link AuditHealth}'s.
 */
@Readiness
@ApplicationScoped
public class MintgateAuditReadiness implements HealthCheck {

    public static final String NAME = "mintgate-audit";

    @Override
    public HealthCheckResponse call() {
        AuditHealth.Report report = AuditHealth.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(report.up());
        report.data().forEach((key, value) -> {
            if (value instanceof Boolean b) {
                response.withData(key, b);
            } else if (value instanceof Long n) {
                response.withData(key, n);
            } else {
                response.withData(key, String.valueOf(value));
            }
        });
        return response.build();
    }
}
