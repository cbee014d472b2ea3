package io.mintgate.authorizer.authzen;

import io.mintgate.authorizer.policy.PolicyEvaluationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bounded HTTP exchange with a PDP (or its token endpoint): the whole exchange, connect included, must finish
 * before the deadline. Failures become {@link PolicyEvaluationException}s whose text names the PDP and the kind of
 * failure, never a header or a body (they may hold credentials).
 */
final class PdpCall {

    private PdpCall() {
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest request, long deadlineNanos, String pdp, String what) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw failure(pdp, what + " not attempted: no time left", null);
        }
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return response.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw failure(pdp, what + " timed out", null);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(pdp, what + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String kind = cause instanceof HttpTimeoutException ? "timed out"
                    : cause instanceof ConnectException ? "connection refused or unreachable"
                    : cause instanceof IOException ? "I/O error (" + cause.getClass().getSimpleName() + ")"
                    : "failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
            throw failure(pdp, what + " " + kind, cause);
        }
    }

    static PolicyEvaluationException failure(String pdp, String message, Throwable cause) {
        return new PolicyEvaluationException("authzen pdp '" + pdp + "': " + message, cause);
    }
}
