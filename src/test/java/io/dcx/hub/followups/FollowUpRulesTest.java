package io.dcx.hub.followups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which status asks for which e-mail, how templates are filled and what an update may contain. */
class FollowUpRulesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void eachOutcomeHasItsEmail() {
        assertThat(FollowUpRules.kindOf("scheduled")).contains("BOOKING_CONFIRMATION");
        assertThat(FollowUpRules.kindOf("no_answer")).contains("MISSED_CALL");
        assertThat(FollowUpRules.kindOf("not_interested")).contains("NOT_INTERESTED");
        assertThat(FollowUpRules.kindOf("calling")).isEmpty();
        assertThat(FollowUpRules.kindOf(null)).isEmpty();
    }

    @Test
    void placeholdersAreFilledAndUnknownOnesLeftEmpty() {
        Map<String, String> values = new HashMap<>();
        values.put("contact_name", "Jane $1 Roe");
        values.put("company_name", null);
        assertThat(FollowUpRules.render("Hi {{contact_name}} of {{ company_name }}{{nope}}!", values))
                .isEqualTo("Hi Jane $1 Roe of !");
    }

    @Test
    void anUpdateNamesKnownTemplatesOnly() throws Exception {
        assertThat(FollowUpRules.templatesUpdate(json.readTree("{\"enabled\":true,\"missed_call\":{\"subject\":\"Hi\"}}"), json))
                .hasToString("{\"enabled\":true,\"missed_call\":{\"subject\":\"Hi\"}}");
        assertThatThrownBy(() -> FollowUpRules.templatesUpdate(json.readTree("{\"welcome\":{\"subject\":\"Hi\"}}"), json))
                .hasMessageContaining("unknown template");
        assertThatThrownBy(() -> FollowUpRules.templatesUpdate(json.readTree("{\"missed_call\":{\"text\":\"\"}}"), json))
                .hasMessageContaining("text must be");
        assertThatThrownBy(() -> FollowUpRules.templatesUpdate(json.readTree("{\"enabled\":\"yes\"}"), json))
                .hasMessageContaining("true or false");
    }
}
