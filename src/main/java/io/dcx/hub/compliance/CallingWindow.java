package io.dcx.hub.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * A daily calling window in local time, {@code start} inclusive and {@code end} exclusive ("08:00-21:00" allows
 * 08:00:00 up to 20:59:59). Written {@code HH:MM-HH:MM}; windows crossing midnight are refused (no law asks for one).
 */
public record CallingWindow(LocalTime start, LocalTime end) {

    public CallingWindow {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("A calling window must start before it ends: " + start + "-" + end);
        }
    }

    public static CallingWindow parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s*-\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("A calling window is written HH:MM-HH:MM, not '" + text + "'");
        }
        try {
            return new CallingWindow(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("A calling window is written HH:MM-HH:MM, not '" + text + "'", e);
        }
    }

    public boolean contains(LocalTime time) {
        return !time.isBefore(start) && time.isBefore(end);
    }

    /**
     * The next minute the window opens after {@code now} in {@code zone} (today or tomorrow; a start that falls in a
     * DST gap moves to the first valid time after it).
     */
    public Instant nextOpening(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate day = local.toLocalTime().isBefore(start) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
        return ZonedDateTime.of(day, start, zone).toInstant();
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
