package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;

/**
 * One enabled sink's settings, as read from its server options: its name in the {@code sinks} option and how to
 * open it. Each sink's settings record implements this; {@link SinkRegistry} lists the sinks.
 */
public interface SinkSettings {
    /** The sink's name in the {@code sinks} option, metrics tags and cursor files. */
    String name();

    /** Opens the sink for the spool whose chain is {@code chain}; called once per pipeline start. */
    Sink open(ChainId chain);
}
