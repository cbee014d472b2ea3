package io.mintgate.audit.record;

/**
 * A signed statement "the chain had {@code count} records up to {@code seq}, ending in {@code hash}". Signing only
 * checkpoints (not each record) keeps signature cost off the hot path while still anchoring the whole chain.
 *
 * @param chain id of the chain the checkpoint belongs to (null only in checkpoints older than chain ids)
 * @param seq   seq of the last record covered
 * @param hash  hash of that record
 * @param count records (checkpoints not counted) after the previous checkpoint of the chain, or after the start
 *              of the chain when there is none
 * @param jws   compact JWS whose payload is {@code {"chain":"..","seq":..,"hash":"..","count":..}}
 */
public record CheckpointData(String chain, long seq, String hash, long count, String alg, String kid, String jws) implements RecordData {
}
