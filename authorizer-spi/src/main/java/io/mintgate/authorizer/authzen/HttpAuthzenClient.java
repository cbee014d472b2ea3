package io.mintgate.authorizer.authzen;

import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The node's AuthZEN client: one {@link HttpClient} (connection pool) for every PDP, and one {@link PdpChannel}
 * (cache, breaker, token) per tenant and PDP declaration. A policy edit that changes a PDP's declaration gets a
 * fresh channel; the same declaration in two realms does not share decisions or credentials.
 */
public final class HttpAuthzenClient {

    /** Channels are small; a node with more declarations than this is misconfigured, so start over rather than grow. */
    private static final int MAX_CHANNELS = 1024;

    private record ChannelKey(String tenant, PdpConfig pdp) {
    }

    private final HttpClient http;
    private final LongSupplier nanoClock;
    private final MeterRegistry registry;
    private final Map<ChannelKey, PdpChannel> channels = new ConcurrentHashMap<>();

    /** @param registry where PDP meters go (Keycloak publishes {@code Metrics.globalRegistry} on its management port) */
    public HttpAuthzenClient(MeterRegistry registry) {
        this(HttpClient.newBuilder()
                // HTTP/1.1: no h2c upgrade dance with plain-HTTP PDPs; keep-alive still reuses connections.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                // Each call is bounded by its PDP's own (smaller) timeout; this only caps a connect attempt.
                .connectTimeout(Duration.ofSeconds(10))
                .build(), System::nanoTime, registry);
    }

    HttpAuthzenClient(HttpClient http, LongSupplier nanoClock, MeterRegistry registry) {
        this.http = http;
        this.nanoClock = nanoClock;
        this.registry = registry;
    }

    /** The facility for one request of {@code tenant} (e.g. a realm id), resolving secrets with {@code secrets}. */
    public AuthzenClient forTenant(String tenant, Secrets secrets) {
        return forTenant(tenant, secrets, PdpCallTracer.NONE);
    }

    /** As {@link #forTenant(String, Secrets)}, with each PDP call wrapped by {@code tracer} (e.g. a tracing span). */
    public AuthzenClient forTenant(String tenant, Secrets secrets, PdpCallTracer tracer) {
        return query -> channel(tenant, query.pdp()).answer(query, http, secrets, tracer);
    }

    PdpChannel channel(String tenant, PdpConfig pdp) {
        ChannelKey key = new ChannelKey(tenant, pdp);
        PdpChannel channel = channels.get(key);
        if (channel != null) {
            return channel;
        }
        if (channels.size() >= MAX_CHANNELS) {
            channels.clear();
        }
        return channels.computeIfAbsent(key, k -> new PdpChannel(k.pdp(), nanoClock, new PdpMetrics(registry, k.pdp().name())));
    }
}
