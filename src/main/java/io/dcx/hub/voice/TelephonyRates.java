package io.dcx.hub.voice;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-minute rate table ({@code dcx.telephony}, overridable in config/telephony-rates.yaml): rates in integer
 * hundredths of a cent per started minute, by direction (INBOUND/OUTBOUND) and number type (LOCAL/TOLL_FREE).
 */
@ConfigurationProperties("dcx.telephony")
public record TelephonyRates(@DefaultValue("60") int billingIncrementSeconds, Map<String, Map<String, Integer>> rates) {

    public int rate(String direction, String numberType) {
        Map<String, Integer> byType = rates == null ? null : rates.get(direction);
        Integer rate = byType == null ? null : byType.get(numberType == null ? "LOCAL" : numberType);
        if (rate == null) {
            throw new IllegalStateException("No telephony rate for " + direction + "/" + numberType);
        }
        return rate;
    }
}
