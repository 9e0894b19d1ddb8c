package io.dcx.hub.messaging;

import static io.dcx.hub.resource.Field.Type.TEXT;

import io.dcx.hub.resource.Field;
import io.dcx.hub.resource.ResourceDefinition;
import java.util.List;
import java.util.Map;

/** REQ-COM-2: A2P 10DLC registrations of messaging-enabled numbers, one per number and channel. */
public final class MessagingResources {

    private MessagingResources() {}

    public static final ResourceDefinition REGISTRATIONS = new ResourceDefinition(
            "MessagingRegistration", "MessagingRegistrations", "messaging_registrations",
            List.of(Field.reference("phone_number_id", new ResourceDefinition.Ref("phone_numbers", "Number"), false),
                    Field.of("a2p_brand_id", TEXT), Field.of("a2p_campaign_id", TEXT), Field.of("channel", TEXT)),
            List.of("phone_number_id", "channel"),
            Map.of("messaging_registrations_number_channel_key", "channel"),
            ResourceDefinition.Rules.NONE);
}
