package io.mintgate.authorizer.policy;

/** ENFORCE rules decide; SHADOW rules only report what they would have decided. */
public enum Mode { ENFORCE, SHADOW }
