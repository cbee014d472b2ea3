package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.format.RecordFormat;

import java.nio.file.Path;

/** File sink settings: where to write, when to rotate, and the line format. */
public record FileSinkOptions(Path path, long maxBytes, RecordFormat format) implements SinkSettings {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public Sink open(ChainId chain) {
        return new FileSink(path, maxBytes, format);
    }
}
