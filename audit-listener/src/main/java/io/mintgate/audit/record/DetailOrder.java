package io.mintgate.audit.record;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.util.Arrays;
import java.util.Map;

/**
 * A record's {@code details} as {@link RecordEncoder} writes them: the entries in the map's iteration order (payload),
 * the order of their keys by {@code String.compareTo} (canonical form), and the keys quoted once. Records of one kind
 * carry the same detail keys, in the same iteration order, over and over (the allow-list is short and Keycloak sets
 * the same details on each event of a type), so the sorted order and the quoted names are remembered for the last few
 * key sequences instead of sorting and escaping the keys for every record. Not thread-safe, like the encoder.
 */
final class DetailOrder {
    /** Key sequences remembered; a realm's mix of grants and event types gives a handful. */
    private static final int LAYOUTS = 8;

    private final Layout[] layouts = new Layout[LAYOUTS];
    private int nextToReplace;
    /** The loaded map's entries in iteration order. */
    private String[] keys = new String[16];
    private String[] values = new String[16];
    private int size;
    private Layout layout;
    /** The map loaded last; {@code AccessData.details} are immutable, so it still holds what was loaded. */
    private Map<String, String> loaded;

    /** Reads {@code details} (an immutable map) for the calls below; canonical and payload of one record read it once. */
    void load(Map<String, String> details) {
        if (details == loaded) {
            return;
        }
        int n = details.size();
        if (keys.length < n) {
            keys = new String[Math.max(n, keys.length * 2)];
            values = new String[keys.length];
        }
        int i = 0;
        for (Map.Entry<String, String> entry : details.entrySet()) {
            keys[i] = entry.getKey();
            values[i] = entry.getValue();
            i++;
        }
        if (size > n) { // the last map's surplus entries: not kept alive
            Arrays.fill(keys, n, size, null);
            Arrays.fill(values, n, size, null);
        }
        size = n;
        layout = find();
        loaded = details;
    }

    int size() {
        return size;
    }

    /** Position (in iteration order) of the {@code rank}-th key by {@code String.compareTo}. */
    int sorted(int rank) {
        return layout.sorted[rank];
    }

    String key(int i) {
        return keys[i];
    }

    String value(int i) {
        return values[i];
    }

    /** The key of entry {@code i} quoted ahead of time, or null when the generator has to escape it itself. */
    SerializableString name(int i) {
        return layout.names[i];
    }

    private Layout find() {
        for (Layout candidate : layouts) {
            if (candidate != null && candidate.matches(keys, size)) {
                return candidate;
            }
        }
        Layout created = new Layout(Arrays.copyOf(keys, size));
        layouts[nextToReplace] = created;
        nextToReplace = (nextToReplace + 1) % LAYOUTS;
        return created;
    }

    /** One key sequence: its sorted order and quoted names. */
    private static final class Layout {
        final String[] keys;
        final int[] sorted;
        final SerializableString[] names;

        Layout(String[] keys) {
            this.keys = keys;
            this.sorted = new int[keys.length];
            this.names = new SerializableString[keys.length];
            for (int i = 0; i < keys.length; i++) {
                // Insertion sort of positions by key: once per new key sequence, a few dozen keys at most.
                int j = i;
                while (j > 0 && keys[sorted[j - 1]].compareTo(keys[i]) > 0) {
                    sorted[j] = sorted[j - 1];
                    j--;
                }
                sorted[j] = i;
                names[i] = plain(keys[i]) ? new SerializedString(keys[i]) : null;
            }
        }

        boolean matches(String[] otherKeys, int n) {
            if (keys.length != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!keys[i].equals(otherKeys[i])) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Keys of letters, digits, '_', '-', '.' and ':' only: no generator setting escapes any of these, so a name
         * quoted ahead of time is the same bytes. Anything else is left to the generator, as before.
         */
        private static boolean plain(String key) {
            for (int i = 0, n = key.length(); i < n; i++) {
                char c = key.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                        || c == '-' || c == '.' || c == ':';
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
