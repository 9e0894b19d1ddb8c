package io.dcx.hub.resource;

import io.dcx.hub.api.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursor for lists ordered by (created_at, id) descending: the position of the last item returned. */
record PageToken(Instant createdAt, UUID id) {

    private static final String VERSION = "1";

    public String encode() {
        long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
        String raw = VERSION + "|" + micros + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static PageToken decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|");
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown token layout");
            }
            long micros = Long.parseLong(parts[1]);
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
            return new PageToken(at, UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("next_token", "next_token is not a token returned by this list");
        }
    }

    /** The token of a list keyed by a number: its own layout ({@code r|<number>}), older than this record's. */
    static String encodeNumber(int number) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("r|" + number).getBytes(StandardCharsets.UTF_8));
    }

    static int decodeNumber(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!raw.startsWith("r|")) {
                throw new IllegalArgumentException("unknown token layout");
            }
            return Integer.parseInt(raw.substring(2));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("next_token", "next_token is not a token returned by this list");
        }
    }
}
