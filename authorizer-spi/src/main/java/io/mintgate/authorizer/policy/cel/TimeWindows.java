package io.mintgate.authorizer.policy.cel;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Local-time checks for business-hours style rules. */
public final class TimeWindows {

    private TimeWindows() {
    }

    /**
     * True when the local hour at {@code zone} is in [{@code fromHour}, {@code toHour}). When fromHour > toHour
     * the window wraps midnight (e.g. 22..6); when they are equal the window is empty.
     */
    public static boolean withinHours(Instant time, String zone, long fromHour, long toHour) {
        if (fromHour < 0 || fromHour > 24 || toHour < 0 || toHour > 24) {
            throw new IllegalArgumentException("hours must be between 0 and 24");
        }
        int hour = ZonedDateTime.ofInstant(time, ZoneId.of(zone)).getHour();
        return fromHour <= toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
    }

    /** True Monday to Friday at {@code zone}. */
    public static boolean isWeekday(Instant time, String zone) {
        DayOfWeek day = ZonedDateTime.ofInstant(time, ZoneId.of(zone)).getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }
}
