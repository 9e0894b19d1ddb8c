package io.dcx.hub.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one keyset pager of the API's lists: rows ordered by (sort key, id), one page at a time, the position of the
 * last row handed out as an opaque {@code next_token} ({@link PageToken}). A list adds {@link #where} to its filters,
 * ends its SQL with {@link #orderAndLimit}, and cuts what came back with {@link #cut}.
 */
public final class KeysetPage {

    private final String key;
    private final boolean ascending;
    private final int limit;
    private final PageToken after;
    /** Keyed by a unique integer column instead ({@link #byNumber}), and past which value. */
    private final boolean numbered;
    private final Integer afterNumber;

    private KeysetPage(String key, boolean ascending, int limit, String nextToken) {
        this.key = key;
        this.ascending = ascending;
        this.limit = limit;
        this.after = nextToken == null || nextToken.isEmpty() ? null : PageToken.decode(nextToken);
        this.numbered = false;
        this.afterNumber = null;
    }

    private KeysetPage(String numberColumn, int limit, Integer afterNumber) {
        this.key = numberColumn;
        this.ascending = true;
        this.limit = limit;
        this.after = null;
        this.numbered = true;
        this.afterNumber = afterNumber;
    }

    /** Newest first by {@code created_at}: the order of most lists. */
    public static KeysetPage newestFirst(int limit, String nextToken) {
        return new KeysetPage("created_at", false, limit, nextToken);
    }

    /** @param key a timestamp column or expression of the listed table */
    public static KeysetPage by(String key, boolean ascending, int limit, String nextToken) {
        return new KeysetPage(key, ascending, limit, nextToken);
    }

    /** Ascending by an integer column that is unique within the list (a report's row number). */
    public static KeysetPage byNumber(String column, int limit, String nextToken) {
        return new KeysetPage(column, limit,
                nextToken == null || nextToken.isBlank() ? null : PageToken.decodeNumber(nextToken));
    }

    /** {@code " AND (key, id) < (?, ?)"} (or {@code >} ascending) past the token's position; nothing on page one. */
    public String where(List<Object> args) {
        if (afterNumber != null) {
            args.add(afterNumber);
            return " AND " + key + " > ?";
        }
        if (after == null) {
            return "";
        }
        args.add(OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC));
        args.add(after.id());
        return " AND (" + key + ", id) " + (ascending ? ">" : "<") + " (?, ?)";
    }

    /** The ORDER BY and LIMIT; asks for one row more than the page so {@link #cut} knows whether another follows. */
    public String orderAndLimit(List<Object> args) {
        args.add(limit + 1);
        String direction = ascending ? " ASC" : " DESC";
        if (numbered) {
            return " ORDER BY " + key + direction + " LIMIT ?";
        }
        return " ORDER BY " + key + direction + ", id" + direction + " LIMIT ?";
    }

    /** The page's rows and the token of the next page, null on the last. */
    public <T> Cut<T> cut(List<T> rows, Function<T, Instant> keyOf, Function<T, UUID> idOf) {
        if (rows.size() <= limit) {
            return new Cut<>(rows, null);
        }
        List<T> shown = new ArrayList<>(rows.subList(0, limit));
        T last = shown.get(limit - 1);
        return new Cut<>(shown, new PageToken(keyOf.apply(last), idOf.apply(last)).encode());
    }

    /** {@link #cut} for a list keyed by a number ({@link #byNumber}). */
    public <T> Cut<T> cut(List<T> rows, Function<T, Integer> numberOf) {
        if (rows.size() <= limit) {
            return new Cut<>(rows, null);
        }
        List<T> shown = new ArrayList<>(rows.subList(0, limit));
        return new Cut<>(shown, PageToken.encodeNumber(numberOf.apply(shown.get(limit - 1))));
    }

    /** {@link #cut} for JSON rows that carry their {@code created_at} and {@code id}. */
    public Cut<ObjectNode> cut(List<ObjectNode> rows) {
        return cut(rows, row -> OffsetDateTime.parse(row.get("created_at").asText()).toInstant(),
                row -> UUID.fromString(row.get("id").asText()));
    }

    public record Cut<T>(List<T> items, String nextToken) {}
}
