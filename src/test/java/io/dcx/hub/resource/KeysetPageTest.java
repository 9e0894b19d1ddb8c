package io.dcx.hub.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.api.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeysetPageTest {

    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000007");

    /** Tokens handed out before the pager was shared must still be read: "1|epoch micros|uuid", base64url. */
    @Test
    void tokenLayoutIsTheOneClientsHold() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        KeysetPage page = KeysetPage.newestFirst(1, null);
        String token = page.cut(List.of(at, at), t -> t, t -> ID).nextToken();
        String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        assertThat(raw).isEqualTo("1|" + (at.getEpochSecond() * 1_000_000L + 123_456) + "|" + ID);

        List<Object> args = new ArrayList<>();
        assertThat(KeysetPage.newestFirst(1, token).where(args)).isEqualTo(" AND (created_at, id) < (?, ?)");
        assertThat(args).hasSize(2).contains(ID);
    }

    @Test
    void lastPageHasNoToken() {
        assertThat(KeysetPage.newestFirst(2, null).cut(List.of(Instant.EPOCH), t -> t, t -> ID).nextToken()).isNull();
    }

    @Test
    void aForeignTokenIsAValidationProblem() {
        assertThatThrownBy(() -> KeysetPage.newestFirst(2, "not-a-token")).isInstanceOf(ProblemException.class);
    }

    @Test
    void ascendingListsPageForward() {
        List<Object> args = new ArrayList<>();
        KeysetPage page = KeysetPage.by("coalesce(scheduled_at, created_at)", true, 5, null);
        assertThat(page.where(args)).isEmpty();
        assertThat(page.orderAndLimit(args))
                .isEqualTo(" ORDER BY coalesce(scheduled_at, created_at) ASC, id ASC LIMIT ?");
        assertThat(args).containsExactly(6);
    }
}
