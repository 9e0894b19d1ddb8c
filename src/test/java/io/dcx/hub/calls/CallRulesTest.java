package io.dcx.hub.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode body(String s) throws Exception {
        return json.readTree(s);
    }

    private static int status(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (ProblemException p) {
            return p.status();
        }
    }

    @Test
    void readsSnakeOrCamelCaseAndEpochMillisOrRfc3339() throws Exception {
        CallRules.NewCall camel = CallRules.newCall(body("{\"calleeName\":\"John\",\"phoneNumber\":\"+15551234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\",\"scheduledAt\":1767272400000}"), NOW);
        assertThat(camel.scheduledAt()).isEqualTo(Instant.ofEpochMilli(1767272400000L));
        CallRules.NewCall snake = CallRules.newCall(body("{\"callee_name\":\"John\",\"phone_number\":\"+15551234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\",\"scheduled_at\":\"2026-01-01T13:00:00Z\"}"), NOW);
        assertThat(snake.scheduledAt()).isEqualTo(Instant.parse("2026-01-01T13:00:00Z"));
        CallRules.NewCall asap = CallRules.newCall(body("{\"callee_name\":\"J\",\"phone_number\":\"+15551234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\"}"), NOW);
        assertThat(asap.scheduledAt()).isEqualTo(NOW);
        assertThatThrownBy(() -> CallRules.newCall(body("{\"callee_name\":\"J\",\"calleeName\":\"K\",\"phone_number\":\"+15551234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\"}"), NOW)).isInstanceOf(ProblemException.class);
    }

    @Test
    void onlyFutureTimesAndUsE164Numbers() {
        assertThat(CallRules.US_E164.matcher("+15551234567").matches()).isTrue();
        assertThat(CallRules.US_E164.matcher("+12125550123").matches()).isTrue();
        assertThat(CallRules.US_E164.matcher("+442071234567").matches()).isFalse();
        assertThat(CallRules.US_E164.matcher("+11551234567").matches()).isFalse(); // area code cannot start with 1
        assertThat(CallRules.US_E164.matcher("5551234567").matches()).isFalse();
        assertThatThrownBy(() -> CallRules.changes(body("{\"scheduledAt\":\"2026-01-01T12:00:00Z\"}"), NOW))
                .hasMessageContaining("future");
    }

    @Test
    void statusTransitions() {
        assertThatCode(() -> CallRules.checkTransition("SCHEDULED", "IN_PROGRESS", false)).doesNotThrowAnyException();
        assertThatCode(() -> CallRules.checkTransition("IN_PROGRESS", "COMPLETED", true)).doesNotThrowAnyException();
        assertThatCode(() -> CallRules.checkTransition("SCHEDULED", "CANCELED", false)).doesNotThrowAnyException();
        assertThatCode(() -> CallRules.checkTransition("SCHEDULED", "FAILED", false)).doesNotThrowAnyException();
        assertThatCode(() -> CallRules.checkTransition("IN_PROGRESS", "FAILED", true)).doesNotThrowAnyException();
        assertThatCode(() -> CallRules.checkTransition("COMPLETED", "COMPLETED", true)).doesNotThrowAnyException();
        assertThat(status(() -> CallRules.checkTransition("SCHEDULED", "COMPLETED", false))).isEqualTo(400);
        assertThat(status(() -> CallRules.checkTransition("IN_PROGRESS", "SCHEDULED", false))).isEqualTo(400);
        assertThat(status(() -> CallRules.checkTransition("COMPLETED", "FAILED", false))).isEqualTo(400);
        assertThat(status(() -> CallRules.checkTransition("CANCELED", "SCHEDULED", false))).isEqualTo(400);
        assertThat(status(() -> CallRules.checkTransition("IN_PROGRESS", "CANCELED", true))).isEqualTo(409);
        assertThat(status(() -> CallRules.checkTransition("SCHEDULED", "CANCELED", true))).isEqualTo(409);
    }

    @Test
    void deletingAndEditingOnlyBeforeDispatch() throws Exception {
        assertThat(status(() -> CallRules.checkDeletable("SCHEDULED", false))).isZero();
        assertThat(status(() -> CallRules.checkDeletable("SCHEDULED", true))).isEqualTo(409);
        assertThat(status(() -> CallRules.checkDeletable("COMPLETED", false))).isEqualTo(409);
        CallRules.Changes prompt = CallRules.changes(body("{\"prompt\":\"new\"}"), NOW);
        CallRules.Changes subject = CallRules.changes(body("{\"subject\":\"new\"}"), NOW);
        assertThat(status(() -> CallRules.checkEditable(prompt, "SCHEDULED", true))).isEqualTo(409);
        assertThat(status(() -> CallRules.checkEditable(prompt, "SCHEDULED", false))).isZero();
        assertThat(status(() -> CallRules.checkEditable(subject, "IN_PROGRESS", true))).isZero();
    }
}
