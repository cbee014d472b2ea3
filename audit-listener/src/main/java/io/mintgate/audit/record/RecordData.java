package io.mintgate.audit.record;

/** The CloudEvents {@code data} member: either an access record or a chain checkpoint. */
public sealed interface RecordData permits AccessData, CheckpointData {
}
