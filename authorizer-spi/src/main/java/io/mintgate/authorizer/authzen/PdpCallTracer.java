package io.mintgate.authorizer.authzen;

import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import java.util.function.Supplier;

/**
 * Wraps each call a channel makes to a PDP (its token request included), so that a host can trace it; a query
 * answered from the decision cache or refused by an open circuit makes no call and is not wrapped. The host's
 * implementation must return what {@code call} returns and rethrow what it throws.
 */
@FunctionalInterface
public interface PdpCallTracer {

    PdpCallTracer NONE = (pdp, query, call) -> call.get();

    AuthzenAnswer around(PdpConfig pdp, AuthzenQuery query, Supplier<AuthzenAnswer> call);
}
