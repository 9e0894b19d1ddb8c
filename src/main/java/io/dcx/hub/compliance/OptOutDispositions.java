package io.dcx.hub.compliance;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which call dispositions are the called person asking not to be called again
 * ({@code DCX_OPT_OUT_DISPOSITIONS}). Dispositions are compared normalised: upper case, runs of anything but letters
 * and digits as one underscore ("do not call", "Do-Not-Call" and "DO_NOT_CALL" are the same). An explicit
 * {@code opt_out} flag on the request wins over the list.
 */
public final class OptOutDispositions {

    private final Set<String> optOut;

    public OptOutDispositions(Collection<String> dispositions) {
        this.optOut = dispositions.stream().map(OptOutDispositions::normalize).filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public static String normalize(String disposition) {
        if (disposition == null) {
            return "";
        }
        return disposition.trim().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_").replaceAll("^_+|_+$", "");
    }

    public boolean isOptOut(String disposition, Boolean explicitOptOut) {
        if (explicitOptOut != null) {
            return explicitOptOut;
        }
        return optOut.contains(normalize(disposition));
    }
}
