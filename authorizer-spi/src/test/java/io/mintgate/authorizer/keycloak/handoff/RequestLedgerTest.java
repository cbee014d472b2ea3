package io.mintgate.authorizer.keycloak.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.mintgate.authorizer.policy.Obligations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.IDToken;

class RequestLedgerTest {

    /** A session attribute set, or a thread-local declared: the two hidden channels the ledger replaces. */
    private static final Pattern HIDDEN_CHANNEL = Pattern.compile(
            "session\\w*(\\(\\))?\\s*\\.\\s*setAttribute\\(|\\bThreadLocal\\s*<|ThreadLocal\\.withInitial");

    private final FakeRequestSession request = new FakeRequestSession();

    @AfterEach
    void endTheRequest() {
        request.commit();
    }

    @Test
    void aSessionHasOneLedgerWhichTheRequestsThreadFinds() {
        RequestLedger ledger = RequestLedger.of(request.session);

        assertThat(RequestLedger.of(request.session)).isSameAs(ledger);
        assertThat(RequestLedger.onThisThread()).isSameAs(ledger);
        assertThat(request.attributes()).hasSize(1);
    }

    @Test
    void theLedgerIsClearedWhenTheRequestsTransactionEnds() {
        RequestLedger ledger = RequestLedger.of(request.session);
        ledger.narrowLater(Obligations.NONE.intersect(Obligations.NONE));
        ledger.rememberIdToken(new IDToken());

        request.commit();

        assertThat(RequestLedger.onThisThread()).isNull();
        assertThat(request.attributes()).isEmpty();
        assertThat(RequestLedger.of(request.session)).isNotSameAs(ledger);
    }

    @Test
    void whatIsTakenIsTakenOnce() {
        RequestLedger ledger = RequestLedger.of(request.session);
        IDToken id = new IDToken();
        ledger.rememberIdToken(id);
        ledger.defer("TOKEN_EXCHANGE_REQUEST", () -> null);

        assertThat(ledger.takeIdToken()).isSameAs(id);
        assertThat(ledger.takeIdToken()).isNull();
        assertThat(ledger.takeDeferred()).singleElement().extracting(RequestLedger.Deferred::event)
                .isEqualTo("TOKEN_EXCHANGE_REQUEST");
        assertThat(ledger.takeDeferred()).isEmpty();
    }

    @Test
    void noSessionAttributeOrThreadLocalOutsideTheLedger() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> found;
        try (Stream<Path> files = Files.walk(sources)) {
            found = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals("RequestLedger.java"))
                    .flatMap(RequestLedgerTest::hiddenChannels)
                    .toList();
        }
        assertThat(found).as("keep what a request leaves for a later step in RequestLedger").isEmpty();
    }

    private static Stream<String> hiddenChannels(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> HIDDEN_CHANNEL.matcher(lines.get(i)).find())
                    .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
