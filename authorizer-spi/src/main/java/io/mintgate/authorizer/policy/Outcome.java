package io.mintgate.authorizer.policy;

/** Whether the token may be minted. */
public enum Outcome { ALLOW, DENY }
