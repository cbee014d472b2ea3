package io.mintgate.authorizer.policy.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {

    @Test
    void anHourlyWindowIsAlignedToTheHourAndResetsOnTheNextOne() {
        BudgetWindow.Span span = new BudgetWindow(Duration.ofHours(1)).spanAt(Instant.parse("2026-11-23T01:59:59.999Z"));
        assertThat(span.resetsAt()).isEqualTo(Instant.parse("2026-11-23T02:00:00Z"));
    }

    @Test
    void theBoundaryInstantBelongsToTheNextWindow() {
        BudgetWindow window = new BudgetWindow(Duration.ofSeconds(10));
        BudgetWindow.Span before = window.spanAt(Instant.parse("2026-11-23T02:00:09.999Z"));
        BudgetWindow.Span at = window.spanAt(Instant.parse("2026-11-23T02:00:10Z"));
        assertThat(at.index()).isEqualTo(before.index() + 1);
        assertThat(before.resetsAt()).isEqualTo(Instant.parse("2026-11-23T02:00:10Z"));
        assertThat(at.resetsAt()).isEqualTo(Instant.parse("2026-11-23T02:00:20Z"));
    }

    @Test
    void aDailyWindowResetsAtMidnightUtc() {
        assertThat(new BudgetWindow(Duration.ofDays(1)).spanAt(Instant.parse("2026-11-23T17:45:00Z")).resetsAt())
                .isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void everyInstantOfAWindowHasTheSameIndex() {
        BudgetWindow window = new BudgetWindow(Duration.ofMinutes(15));
        long first = window.spanAt(Instant.parse("2026-11-23T02:15:00Z")).index();
        assertThat(window.spanAt(Instant.parse("2026-11-23T02:29:59Z")).index()).isEqualTo(first);
        assertThat(window.spanAt(Instant.parse("2026-11-23T02:30:00Z")).index()).isEqualTo(first + 1);
    }

    @Test
    void fractionalTooShortAndTooLongWindowsAreRejected() {
        assertThatThrownBy(() -> new BudgetWindow(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BudgetWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BudgetWindow(Duration.ofDays(367))).isInstanceOf(IllegalArgumentException.class);
    }
}
