package io.dcx.hub.callcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** CallCat's artifact rules without I/O: segments, action items, tags, final states and overlapping slots. */
class CallCatRulesTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode body(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void segmentsAreOneObjectOrAListWithOptionalTimes() throws Exception {
        assertThat(CallCatRules.segments(body("{\"role\":\"Agent\",\"content\":\" hi \"}")))
                .containsExactly(new CallCatRules.Segment("agent", "hi", null, null));
        assertThat(CallCatRules.segments(body("{\"segments\":[{\"role\":\"user\",\"content\":\"yes\",\"startMs\":700,"
                + "\"end_ms\":1300}]}"))).containsExactly(new CallCatRules.Segment("user", "yes", 700L, 1300L));
    }

    @Test
    void badSegmentsNameTheirField() throws Exception {
        assertThatThrownBy(() -> CallCatRules.segments(body("{\"segments\":[]}"))).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> CallCatRules.segments(body("{\"content\":\"x\"}")))
                .isInstanceOf(ProblemException.class).extracting("field").isEqualTo("role");
        assertThatThrownBy(() -> CallCatRules.segments(body("{\"role\":\"agent\",\"content\":\"x\",\"start_ms\":5,\"end_ms\":4}")))
                .extracting("field").isEqualTo("end_ms");
        assertThatThrownBy(() -> CallCatRules.segments(body("{\"role\":\"agent\",\"content\":\"x\",\"start_ms\":1.5}")))
                .extracting("field").isEqualTo("start_ms");
    }

    @Test
    void actionItemsAndTags() throws Exception {
        assertThat(CallCatRules.actionItems(body("{\"action_items\":[\"send invite\",{\"text\":\"call back\",\"done\":true}]}")))
                .containsExactly(new CallCatRules.ActionItem("send invite", false), new CallCatRules.ActionItem("call back", true));
        assertThatThrownBy(() -> CallCatRules.actionItems(body("{\"action_items\":[{\"done\":true}]}")))
                .hasMessageContaining("text");
        assertThat(CallCatRules.tags(body("{\"tags\":[\"VIP\",\"follow-up\",\"vip\"]}"))).containsExactly("vip", "follow-up");
        assertThatThrownBy(() -> CallCatRules.tags(body("{\"tags\":[\"two words\"]}"))).hasMessageContaining("a tag is");
    }

    @Test
    void finalStatesFollowTheCall() throws Exception {
        assertThat(CallCatRules.finalStatus(body("{}"))).isEqualTo("COMPLETED");
        assertThat(CallCatRules.finalStatus(body("{\"status\":\"NO_SHOW\"}"))).isEqualTo("NO_SHOW");
        assertThatThrownBy(() -> CallCatRules.finalStatus(body("{\"status\":\"CANCELED\"}"))).hasMessageContaining("COMPLETED or NO_SHOW");

        assertThatCode(() -> CallCatRules.checkFinalize("IN_PROGRESS", "COMPLETED")).doesNotThrowAnyException();
        assertThatCode(() -> CallCatRules.checkFinalize("COMPLETED", "COMPLETED")).doesNotThrowAnyException();
        assertThatCode(() -> CallCatRules.checkFinalize("SCHEDULED", "NO_SHOW")).doesNotThrowAnyException();
        assertThatCode(() -> CallCatRules.checkFinalize("NO_ANSWER", "NO_SHOW")).doesNotThrowAnyException();
        for (String[] refused : new String[][] {{"SCHEDULED", "COMPLETED"}, {"CANCELED", "NO_SHOW"}, {"COMPLETED", "NO_SHOW"},
                {"NO_SHOW", "COMPLETED"}, {"FAILED", "COMPLETED"}}) {
            assertThatThrownBy(() -> CallCatRules.checkFinalize(refused[0], refused[1]))
                    .isInstanceOf(ProblemException.class).extracting("status").isEqualTo(409);
        }
    }

    @Test
    void slotsOverlapWhenTheyIntersect() {
        Instant at = Instant.parse("2030-01-01T10:00:00Z");
        Duration slot = Duration.ofMinutes(15);
        assertThat(CallCatRules.overlaps(at, at.plus(Duration.ofMinutes(14)), slot)).isTrue();
        assertThat(CallCatRules.overlaps(at, at.minus(Duration.ofMinutes(14)), slot)).isTrue();
        assertThat(CallCatRules.overlaps(at, at.plus(slot), slot)).isFalse();
        assertThat(CallCatRules.overlaps(at, at.minus(slot), slot)).isFalse();
    }
}
