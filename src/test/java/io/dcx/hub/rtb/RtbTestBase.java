package io.dcx.hub.rtb;

import io.dcx.hub.support.VoiceTestBase;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A voice test with a stand-in RTB bidder, started fresh for each test. */
abstract class RtbTestBase extends VoiceTestBase {

    BidderStandIn standIn;

    @BeforeEach
    void startBidder() throws IOException {
        standIn = new BidderStandIn();
    }

    @AfterEach
    void stopBidder() {
        standIn.close();
    }
}
