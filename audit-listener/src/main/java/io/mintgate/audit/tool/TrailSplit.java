package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.audit.record.RecordJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An export cut into its chains by {@code mintgatechain}, each chain's records in export order: the trails of
 * several nodes may be concatenated or interleaved in any way, as long as each chain's own records keep their order.
 * Records without a chain id (written before chain ids) form one chain of their own, keyed by null; when a chain's
 * first record continues them (next seq, chained to their last hash), as after an upgrade, they are put in front of
 * that chain instead, so the link across the upgrade is checked too.
 *
 * @param chains      chain id to records, in the order each chain first appears
 * @param legacyFirst per chain id that took the id-less records in front: how many records those were
 */
public record TrailSplit(Map<String, List<JsonNode>> chains, Map<String, Long> legacyFirst) {

    public static TrailSplit of(List<JsonNode> events) {
        Map<String, List<JsonNode>> chains = new LinkedHashMap<>();
        for (JsonNode e : events) {
            JsonNode id = e.path(RecordJson.EXT_CHAIN);
            chains.computeIfAbsent(id.isTextual() ? id.asText() : null, k -> new ArrayList<>()).add(e);
        }
        Map<String, Long> legacyFirst = new LinkedHashMap<>();
        List<JsonNode> legacy = chains.get(null);
        JsonNode legacyLast = legacy == null ? null : newest(legacy);
        if (legacyLast != null) {
            for (Map.Entry<String, List<JsonNode>> chain : chains.entrySet()) {
                if (chain.getKey() != null && continues(chain.getValue().get(0), legacyLast)) {
                    List<JsonNode> joined = new ArrayList<>(legacy);
                    joined.addAll(chain.getValue());
                    chain.setValue(joined);
                    legacyFirst.put(chain.getKey(), legacyLast.path(RecordJson.EXT_SEQ).asLong()
                            - legacy.get(0).path(RecordJson.EXT_SEQ).asLong() + 1);
                    chains.remove(null);
                    break;
                }
            }
        }
        return new TrailSplit(chains, legacyFirst);
    }

    /** The record with the highest seq, or null when none has one. */
    private static JsonNode newest(List<JsonNode> records) {
        JsonNode newest = null;
        for (JsonNode r : records) {
            if (r.path(RecordJson.EXT_SEQ).canConvertToLong() && (newest == null
                    || r.path(RecordJson.EXT_SEQ).asLong() > newest.path(RecordJson.EXT_SEQ).asLong())) {
                newest = r;
            }
        }
        return newest;
    }

    private static boolean continues(JsonNode first, JsonNode previous) {
        return first.path(RecordJson.EXT_SEQ).asLong(-1) == previous.path(RecordJson.EXT_SEQ).asLong() + 1
                && first.path(RecordJson.EXT_PREV).asText("").equals(previous.path(RecordJson.EXT_HASH).asText());
    }
}
