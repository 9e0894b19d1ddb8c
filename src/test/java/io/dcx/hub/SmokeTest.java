package io.dcx.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import org.junit.jupiter.api.Test;

class SmokeTest extends HubTestBase {

    @Test
    void createsASupplier() {
        Reply r = post("/api/suppliers", "{\"name\":\"Acme\",\"type\":\"NETWORK\"}");
        System.out.println(r);
        Reply bad = post("/api/suppliers", "{\"name\":\"Acme\",\"type\":\"NOPE\",\"x\":1}");
        System.out.println(bad);
        Reply list = get("/api/suppliers?limit=1");
        System.out.println(list);
        System.out.println(get("/health"));
        assertThat(r.status()).isEqualTo(201);
    }
}
