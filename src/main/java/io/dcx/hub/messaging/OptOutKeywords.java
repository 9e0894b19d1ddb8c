package io.dcx.hub.messaging;

import java.util.Locale;
import java.util.Set;

/**
 * What an inbound SMS asks for (protocols.md §1.8): the whole message, trimmed and case-insensitive, is an opt-out,
 * opt-in or help keyword; Twilio's Advanced Opt-Out {@code OptOutType} wins when present.
 */
public final class OptOutKeywords {

    public enum Intent { STOP, START, HELP, NONE }

    private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
    private static final Set<String> START = Set.of("START", "YES", "UNSTOP");
    private static final Set<String> HELP = Set.of("HELP", "INFO");

    private OptOutKeywords() {}

    public static Intent classify(String body, String optOutType) {
        if (optOutType != null && !optOutType.isBlank()) {
            try {
                return Intent.valueOf(optOutType.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // unknown type: fall back to the keyword
            }
        }
        if (body == null) {
            return Intent.NONE;
        }
        String word = body.trim().replaceAll("[\\p{Punct}\\s]+$", "").toUpperCase(Locale.ROOT);
        if (STOP.contains(word)) {
            return Intent.STOP;
        }
        if (START.contains(word)) {
            return Intent.START;
        }
        return HELP.contains(word) ? Intent.HELP : Intent.NONE;
    }

    /** The keyword itself, as stored with an opt-out. */
    public static String keyword(String body) {
        return body == null ? null : body.trim().toUpperCase(Locale.ROOT);
    }
}
