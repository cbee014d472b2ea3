package io.mintgate.authorizer.policy;

/** What an enforce rule does when its expressions fail to evaluate. DENY fails closed. */
enum OnError { DENY, ALLOW }
