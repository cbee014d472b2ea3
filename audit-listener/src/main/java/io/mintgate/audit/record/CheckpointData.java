package io.mintgate.audit.record;

/**
 * A signed statement "the chain had {@code count} records up to {@code seq}, ending in {@code hash}". Signing only
 * checkpoints (not each record) keeps signature cost off the hot path while still anchoring the whole chain.
 *
 * @param seq   seq of the last record covered
 * @param hash  hash of that record
 * @param count records covered since the previous checkpoint (or since the spool started)
 * @param jws   compact JWS whose payload is {@code {"seq":..,"hash":"..","count":..}}
 */
public record CheckpointData(long seq, String hash, long count, String alg, String kid, String jws) implements RecordData {
}
