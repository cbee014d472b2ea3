package io.mintgate.it.harness;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.oauth2.sdk.TokenResponse;

/**
 * Polls the token endpoint as a device-grant or CIBA poll-mode client does (RFC 8628 section 3.4, CIBA Core
 * section 7.3): waits out {@code authorization_pending} and {@code slow_down} until the deadline and returns the
 * first other answer.
 */
public final class TokenPolling {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private TokenPolling() {
    }

    public static TokenResponse poll(Supplier<TokenResponse> request, long intervalSeconds) {
        Duration interval = Duration.ofSeconds(Math.max(1, intervalSeconds));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            TokenResponse response = request.get();
            String error = response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
            if (error == null || !Set.of("authorization_pending", "slow_down").contains(error)) {
                return response;
            }
            if (System.nanoTime() + interval.toNanos() > deadline) {
                throw new AssertionError("still " + error + " after " + DEADLINE);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
