package io.dcx.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Time-ordered ids: version 7 UUIDs and call public ids that start with their creation millisecond. */
class IdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = Ids.timeOrdered();
        long after = System.currentTimeMillis();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
        UUID first = Ids.timeOrdered();
        Thread.sleep(2);
        UUID second = Ids.timeOrdered();
        // PostgreSQL orders uuids by their bytes, i.e. by the text form
        assertThat(second.toString()).isGreaterThan(first.toString());
    }

    @Test
    void aCallPublicIdKeepsItsShapeStartsWithItsMillisecondAndIsNotGuessable() throws InterruptedException {
        long before = System.currentTimeMillis();
        String id = Ids.callPublicId();
        long after = System.currentTimeMillis();
        assertThat(id).matches("call_[0-9a-f]{24}");
        assertThat(Long.parseLong(id.substring(5, 17), 16)).isBetween(before, after);
        Thread.sleep(2);
        assertThat(Ids.callPublicId()).isGreaterThan(id);
        // 48 random bits each: many ids made within the same milliseconds never repeat and vary in every digit
        Set<String> ids = new HashSet<>();
        Set<Character> lastDigits = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String next = Ids.callPublicId();
            ids.add(next);
            lastDigits.add(next.charAt(next.length() - 1));
        }
        assertThat(ids).hasSize(20_000);
        assertThat(lastDigits).hasSize(16);
    }
}
