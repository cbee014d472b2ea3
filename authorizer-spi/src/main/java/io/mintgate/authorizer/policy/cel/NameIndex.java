package io.mintgate.authorizer.policy.cel;

import java.util.List;

/**
 * Names to positions, for the context variables CEL's runtime asks for by name at every reference. An open-addressing
 * table of plain arrays, sparse enough that a name is almost always found at its first slot: a lookup is one hash
 * (cached in the String), one array read and one equals, cheaper than a {@code HashMap} (nodes, a boxed position)
 * and than a {@code switch} on the names, which this replaces.
 */
final class NameIndex {

    private final String[] keys;
    private final int[] positions;
    private final int mask;

    /** Each name's position is its place in {@code names}. */
    NameIndex(List<String> names) {
        int size = Integer.highestOneBit(Math.max(names.size(), 1) * 4 - 1) << 1;
        this.keys = new String[size];
        this.positions = new int[size];
        this.mask = size - 1;
        for (int position = 0; position < names.size(); position++) {
            String name = names.get(position);
            int slot = slot(name);
            while (keys[slot] != null) {
                if (keys[slot].equals(name)) {
                    throw new IllegalArgumentException("'" + name + "' is declared twice");
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = name;
            positions[slot] = position;
        }
    }

    /** The name's position, or -1 when there is no such name. */
    int positionOf(String name) {
        int slot = slot(name);
        String key;
        while ((key = keys[slot]) != null) {
            if (key.equals(name)) {
                return positions[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private int slot(String name) {
        int h = name.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }
}
