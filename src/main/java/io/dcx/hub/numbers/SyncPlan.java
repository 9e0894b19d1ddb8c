package io.dcx.hub.numbers;

import io.dcx.hub.numbers.NumberStore.HubNumber;
import io.dcx.hub.numbers.NumberStore.PendingPurchase;
import io.dcx.hub.provider.twilio.TwilioNumbers.OwnedNumber;
import io.dcx.hub.provider.twilio.TwilioNumbers.Webhooks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a sync must do, decided from Twilio's list of the account's numbers and the hub's rows (no I/O):
 * <ul>
 *   <li><b>import</b> a Twilio number the hub does not know (with its pending purchase's assignment when its
 *       FriendlyName or number matches one);</li>
 *   <li><b>adopt</b> Twilio's SID for a hub row registered with the same number under another SID;</li>
 *   <li><b>mark missing</b> a hub number (not released) that Twilio no longer has, and <b>clear</b> the mark of one
 *       that is back;</li>
 *   <li><b>repair</b> every account number whose voice, SMS or status URL does not point at the hub.</li>
 * </ul>
 * A number the hub released that Twilio still lists under the same SID is only reported.
 */
record SyncPlan(List<Import> imports, List<Adopt> adoptions, List<HubNumber> missing, List<HubNumber> back,
        List<OwnedNumber> repairs, List<OwnedNumber> releasedButListed, int unchanged) {

    record Import(OwnedNumber number, PendingPurchase purchase) {}

    record Adopt(HubNumber row, OwnedNumber number) {}

    static SyncPlan of(List<OwnedNumber> twilio, List<HubNumber> hub, List<PendingPurchase> pending, Webhooks expected) {
        Map<String, HubNumber> bySid = new HashMap<>();
        Map<String, HubNumber> byE164 = new HashMap<>();
        for (HubNumber n : hub) {
            bySid.put(n.twilioSid(), n);
            byE164.put(n.e164(), n);
        }
        Map<String, PendingPurchase> byFriendlyName = new HashMap<>();
        Map<String, PendingPurchase> byRequested = new HashMap<>();
        for (PendingPurchase p : pending) {
            byFriendlyName.put(p.friendlyName(), p);
            if (p.requestedE164() != null) {
                byRequested.putIfAbsent(p.requestedE164(), p);
            }
        }
        List<Import> imports = new ArrayList<>();
        List<Adopt> adoptions = new ArrayList<>();
        List<HubNumber> back = new ArrayList<>();
        List<OwnedNumber> repairs = new ArrayList<>();
        List<OwnedNumber> releasedButListed = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        int unchanged = 0;
        for (OwnedNumber n : twilio) {
            listed.add(n.sid());
            HubNumber known = bySid.get(n.sid());
            boolean changed = false;
            if (known != null && "RELEASED".equals(known.status())) {
                releasedButListed.add(n);
                continue;
            }
            if (known == null) {
                HubNumber sameNumber = byE164.get(n.e164());
                if (sameNumber != null && !"RELEASED".equals(sameNumber.status())) {
                    adoptions.add(new Adopt(sameNumber, n));
                    listed.add(sameNumber.twilioSid());
                } else {
                    PendingPurchase purchase = byFriendlyName.get(n.friendlyName());
                    imports.add(new Import(n, purchase != null ? purchase : byRequested.get(n.e164())));
                }
                changed = true;
            } else if (known.missing()) {
                back.add(known);
                changed = true;
            }
            if (!NumberWebhooks.pointAtHub(n.webhooks(), expected)) {
                repairs.add(n);
                changed = true;
            }
            if (!changed) {
                unchanged++;
            }
        }
        List<HubNumber> missing = new ArrayList<>();
        for (HubNumber n : hub) {
            if (!"RELEASED".equals(n.status()) && !n.missing() && !listed.contains(n.twilioSid())) {
                missing.add(n);
            }
        }
        return new SyncPlan(imports, adoptions, missing, back, repairs, releasedButListed, unchanged);
    }
}
