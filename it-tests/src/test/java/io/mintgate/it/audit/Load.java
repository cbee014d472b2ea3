package io.mintgate.it.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenResponse;

/**
 * Client-credentials load over a few threads: counts what was asked, and keeps the jti of every token the client
 * actually received (a request that failed, or whose connection died, received nothing).
 */
final class Load {

    private final AuditGrants grants;
    private final String clientId;
    private final Set<String> receivedJtis = ConcurrentHashMap.newKeySet();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Load(AuditGrants grants, String clientId) {
        this.grants = grants;
        this.clientId = clientId;
    }

    /** Starts {@code threads} workers that issue requests until {@code total} were attempted or {@link #stop()}. */
    Load start(int threadCount, int total) {
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get() && attempts.incrementAndGet() <= total) {
                    try {
                        TokenResponse response = grants.clientCredentials(clientId);
                        if (response.indicatesSuccess()) {
                            String token = response.toSuccessResponse().getTokens().getAccessToken().getValue();
                            receivedJtis.add(SignedJWT.parse(token).getJWTClaimsSet().getJWTID());
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception connectionDiedOrServerError) {
                        failures.incrementAndGet();
                        AuditGrants.pause(20); // a dead server refuses at once: do not spin
                    }
                }
            }, "load-" + clientId + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /** Waits (bounded) until the condition holds or the workers finished; returns the condition's value. */
    boolean awaitUntil(BooleanSupplier condition, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (threads.stream().noneMatch(Thread::isAlive)) {
                return condition.getAsBoolean();
            }
            AuditGrants.pause(50);
        }
        return condition.getAsBoolean();
    }

    void stop() {
        stop.set(true);
    }

    /** Waits for the workers to end (each ends after its current request). */
    void join(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    Set<String> receivedJtis() {
        return receivedJtis;
    }

    int received() {
        return receivedJtis.size();
    }

    int failures() {
        return failures.get();
    }
}
