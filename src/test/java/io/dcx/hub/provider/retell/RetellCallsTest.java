package io.dcx.hub.provider.retell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RetellCallsTest {

    private final ObjectMapper json = new ObjectMapper();

    private ObjectNode call(String status) {
        ObjectNode n = json.createObjectNode();
        n.put("call_id", "c1");
        n.put("call_status", status);
        return n;
    }

    @Test
    void theLaterStageWinsWhateverTheArrivalOrder() {
        ObjectNode ended = call("ended");
        ended.put("transcript", "hello");
        ObjectNode started = call("ongoing");
        started.put("start_timestamp", 1);
        ObjectNode kept = RetellCalls.merge(ended, started);
        assertThat(kept.path("call_status").asText()).isEqualTo("ended");
        assertThat(kept.path("transcript").asText()).isEqualTo("hello");
        assertThat(kept.path("start_timestamp").asInt()).isEqualTo(1);

        ObjectNode analyzed = call("ended");
        analyzed.putObject("call_analysis").put("call_summary", "ok");
        ObjectNode last = RetellCalls.merge(kept, analyzed);
        assertThat(last.path("call_analysis").path("call_summary").asText()).isEqualTo("ok");
        assertThat(RetellCalls.merge(last, call("ongoing")).path("call_status").asText()).isEqualTo("ended");
        assertThat(RetellCalls.merge(null, started)).isEqualTo(started);
    }

    @Test
    void theOtherPartysNumberIsLeftOut() {
        ObjectNode out = call("ended");
        out.put("direction", "outbound");
        out.put("from_number", "+14155550100");
        out.put("to_number", "+15551234567");
        assertThat(RetellCalls.withoutRemoteNumber(out).has("to_number")).isFalse();
        assertThat(RetellCalls.withoutRemoteNumber(out).path("from_number").asText()).isEqualTo("+14155550100");
        out.put("direction", "inbound");
        assertThat(RetellCalls.withoutRemoteNumber(out).has("from_number")).isFalse();
        assertThat(out.has("from_number")).isTrue(); // the input is not changed
    }
}
