package io.mintgate.audit.format;

import io.mintgate.audit.spool.SpoolEntry;

import java.util.List;
import java.util.Locale;

/**
 * How a sink writes a record: {@code json} = the spooled CloudEvent exactly as chained (the form {@code verify}
 * checks), {@code ocsf} = the same record rendered as an OCSF 1.7.0 event ({@link OcsfRenderer}).
 */
public enum RecordFormat {
    JSON {
        @Override
        public byte[] render(SpoolEntry entry) {
            return entry.payload();
        }
    },
    OCSF {
        @Override
        public byte[] render(SpoolEntry entry) {
            return OcsfRenderer.render(entry.payload());
        }
    };

    /** The option values, as the admin writes them. */
    public static final List<String> NAMES = List.of("json", "ocsf");

    public abstract byte[] render(SpoolEntry entry);

    public static RecordFormat parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
