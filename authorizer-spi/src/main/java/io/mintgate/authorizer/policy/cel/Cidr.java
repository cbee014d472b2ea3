package io.mintgate.authorizer.policy.cel;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An IPv4 or IPv6 network in CIDR notation. Parses literals itself so that a hostname in a policy can never
 * trigger a DNS lookup (which {@code InetAddress.getByName} would do).
 */
public final class Cidr {

    // Policies repeat the same few CIDRs; bounded so attacker-influenced attribute values cannot grow it forever.
    private static final int CACHE_LIMIT = 4096;
    private static final Map<String, Cidr> CACHE = new ConcurrentHashMap<>();

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses {@code addr/prefix}; a bare address means a single host. */
    public static Cidr parse(String text) {
        Cidr cached = CACHE.get(text);
        if (cached != null) {
            return cached;
        }
        Cidr parsed = doParse(text);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(text, parsed);
        return parsed;
    }

    private static Cidr doParse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        byte[] addr = parseAddress(slash < 0 ? s : s.substring(0, slash));
        if (addr == null) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "'");
        }
        int bits = addr.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid CIDR prefix in '" + text + "'");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException("CIDR prefix /" + prefix + " too long for '" + text + "'");
            }
        }
        return new Cidr(mask(addr, prefix), prefix);
    }

    /** True when {@code address} is an IP literal of the same family inside this network. */
    public boolean contains(String address) {
        return contains(parseAddress(address.trim()));
    }

    /** True when {@code cidrs} contains {@code address}; an unparsable address is in none. */
    public static boolean anyContains(Iterable<?> cidrs, String address) {
        // Parse the address once for the whole list; each CIDR is still parsed (cached) so an invalid one fails.
        byte[] addr = parseAddress(address.trim());
        for (Object c : cidrs) {
            if (parse(String.valueOf(c)).contains(addr)) {
                return true;
            }
        }
        return false;
    }

    private boolean contains(byte[] addr) {
        if (addr != null && addr.length == 16 && network.length == 4) {
            addr = unmapIpv4(addr);
        }
        if (addr == null || addr.length != network.length) {
            return false;
        }
        for (int i = 0; i < addr.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            if ((byte) (addr[i] & (0xFF << (8 - keep))) != network[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mask(byte[] addr, int prefix) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    private static byte[] unmapIpv4(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return v6;
            }
        }
        if (v6[10] != (byte) 0xFF || v6[11] != (byte) 0xFF) {
            return v6;
        }
        return Arrays.copyOfRange(v6, 12, 16);
    }

    /** Returns 4 or 16 bytes, or null when {@code s} is not an IP literal. */
    static byte[] parseAddress(String s) {
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
    }

    /** Dotted quad of 1-3 digits per part, each at most 255; hand-rolled (no split, no streams) as it runs per request. */
    private static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (digits == 0 || value > 255 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (Character.isDigit(c) && digits < 3) {
                value = value * 10 + Character.digit(c, 10);
                digits++;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] parseIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int at = 0;
        for (int g : headGroups) {
            out[at++] = (byte) (g >> 8);
            out[at++] = (byte) g;
        }
        at = 16 - tailGroups.length * 2;
        for (int g : tailGroups) {
            out[at++] = (byte) (g >> 8);
            out[at++] = (byte) g;
        }
        return out;
    }

    /** Hex groups of one side of "::"; an embedded trailing IPv4 counts as two groups. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int extra = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
        int[] out = new int[parts.length + extra];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && extra == 1) {
                byte[] v4 = parseIpv4(p);
                if (v4 == null) {
                    return null;
                }
                out[i] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                out[i + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }
}
