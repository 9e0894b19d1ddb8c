package io.dcx.hub.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.numbers.NumberStore.HubNumber;
import io.dcx.hub.numbers.NumberStore.PendingPurchase;
import io.dcx.hub.provider.twilio.TwilioNumbers.OwnedNumber;
import io.dcx.hub.provider.twilio.TwilioNumbers.Webhooks;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sync's decisions, without Twilio or a database. */
class SyncPlanTest {

    static final Webhooks HUB = new Webhooks("https://hub/twilio/voice", null, "https://hub/twilio/sms", "https://hub/twilio/status");
    static final Webhooks ELSEWHERE = new Webhooks("https://other/voice", null, "https://hub/twilio/sms", "https://hub/twilio/status");

    static OwnedNumber twilio(String sid, String e164, String friendly, Webhooks w) {
        return new OwnedNumber(sid, e164, friendly, w);
    }

    static HubNumber hub(String sid, String e164, String status, boolean missing) {
        return new HubNumber(UUID.randomUUID(), sid, e164, status, missing);
    }

    @Test
    void unknownNumbersAreImportedWithTheirPendingPurchase() {
        PendingPurchase purchase = new PendingPurchase(UUID.randomUUID(), null, UUID.randomUUID(), null, true);
        PendingPurchase byNumber = new PendingPurchase(UUID.randomUUID(), "+15550000003", null, null, false);
        SyncPlan plan = SyncPlan.of(List.of(
                        twilio("PN1", "+15550000001", purchase.friendlyName(), HUB),
                        twilio("PN2", "+15550000002", "(555) 000-0002", HUB),
                        twilio("PN3", "+15550000003", "(555) 000-0003", HUB)),
                List.of(), List.of(purchase, byNumber), HUB);
        assertThat(plan.imports()).extracting(i -> i.number().sid()).containsExactly("PN1", "PN2", "PN3");
        assertThat(plan.imports().get(0).purchase()).isEqualTo(purchase);
        assertThat(plan.imports().get(1).purchase()).isNull();
        assertThat(plan.imports().get(2).purchase()).isEqualTo(byNumber);
        assertThat(plan.repairs()).isEmpty();
    }

    @Test
    void hubNumbersTwilioNoLongerHasAreMissingAndComeBack() {
        HubNumber gone = hub("PN1", "+15550000001", "ACTIVE", false);
        HubNumber released = hub("PN2", "+15550000002", "RELEASED", false);
        HubNumber back = hub("PN3", "+15550000003", "INACTIVE", true);
        HubNumber alreadyMissing = hub("PN4", "+15550000004", "ACTIVE", true);
        SyncPlan plan = SyncPlan.of(List.of(twilio("PN3", "+15550000003", "x", HUB)),
                List.of(gone, released, back, alreadyMissing), List.of(), HUB);
        assertThat(plan.missing()).containsExactly(gone);
        assertThat(plan.back()).containsExactly(back);
        assertThat(plan.imports()).isEmpty();
    }

    @Test
    void urlsPointingElsewhereAreRepairedAndATwimlAppIsCompared() {
        HubNumber known = hub("PN1", "+15550000001", "ACTIVE", false);
        SyncPlan plan = SyncPlan.of(List.of(twilio("PN1", "+15550000001", "x", ELSEWHERE),
                twilio("PN2", "+15550000002", "y", HUB)), List.of(known, hub("PN2", "+15550000002", "ACTIVE", false)),
                List.of(), HUB);
        assertThat(plan.repairs()).extracting(OwnedNumber::sid).containsExactly("PN1");
        assertThat(plan.unchanged()).isEqualTo(1);

        Webhooks app = new Webhooks("https://hub/twilio/voice", "AP123", "https://hub/twilio/sms", "https://hub/twilio/status");
        assertThat(NumberWebhooks.pointAtHub(HUB, app)).isFalse();
        assertThat(NumberWebhooks.pointAtHub(new Webhooks(null, "AP123", "https://hub/twilio/sms", "https://hub/twilio/status"), app)).isTrue();
        assertThat(NumberWebhooks.pointAtHub(new Webhooks("https://hub/twilio/voice", "AP9", "https://hub/twilio/sms",
                "https://hub/twilio/status"), HUB)).as("an attached TwiML App overrides the voice URL").isFalse();
    }

    @Test
    void aRowRegisteredUnderAnotherSidAdoptsTwiliosAndAReleasedRowIsOnlyReported() {
        HubNumber typo = hub("PNold", "+15550000001", "ACTIVE", false);
        HubNumber released = hub("PN2", "+15550000002", "RELEASED", false);
        SyncPlan plan = SyncPlan.of(List.of(twilio("PNnew", "+15550000001", "x", HUB), twilio("PN2", "+15550000002", "y", HUB)),
                List.of(typo, released), List.of(), HUB);
        assertThat(plan.adoptions()).singleElement().satisfies(a -> {
            assertThat(a.row()).isEqualTo(typo);
            assertThat(a.number().sid()).isEqualTo("PNnew");
        });
        assertThat(plan.missing()).isEmpty();
        assertThat(plan.releasedButListed()).extracting(OwnedNumber::sid).containsExactly("PN2");
        assertThat(plan.imports()).isEmpty();
    }
}
