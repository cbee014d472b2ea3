package io.mintgate.authorizer.policy.authzen;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A PDP's answer to one {@link AuthzenQuery}: the decisions (one for a single evaluation, else one per item in
 * request order, AuthZEN 1.0 Section 7.2) and each item's response {@code context}, or null where the item has
 * none. Shared by the decision cache between threads: never modified after it is built.
 */
public record AuthzenAnswer(boolean[] decisions, JsonNode[] contexts) {

    public AuthzenAnswer(boolean[] decisions) {
        this(decisions, new JsonNode[decisions.length]);
    }

    public boolean decision(int index) {
        return decisions[index];
    }

    /** The item's response context, or null. */
    public JsonNode context(int index) {
        return contexts[index];
    }

    public int size() {
        return decisions.length;
    }
}
