package io.dcx.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

class AuthApiTest extends HubTestBase {

    @Autowired
    JwtEncoder encoder;

    @Test
    void adminGetsABearerTokenThatOpensTheAdminApi() {
        Reply r = send("POST", "/api/auth/token", "{\"username\":\"admin\",\"password\":\"test-admin-password\"}", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("token_type")).isEqualTo("Bearer");
        assertThat(r.json().path("expires_in").asLong()).isEqualTo(3600);
        assertThat(send("GET", "/api/suppliers", null, r.text("access_token")).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIs401Problem() {
        Reply r = send("POST", "/api/auth/token", "{\"username\":\"admin\",\"password\":\"nope\"}", null);
        assertProblem(r, 401, "INVALID_CREDENTIALS");
        Reply unknown = send("POST", "/api/auth/token", "{\"username\":\"ghost\",\"password\":\"nope\"}", null);
        assertProblem(unknown, 401, "INVALID_CREDENTIALS");
    }

    @Test
    void tokenRequestWithoutPasswordIs400NamingTheField() {
        Reply r = send("POST", "/api/auth/token", "{\"username\":\"admin\"}", null);
        assertProblem(r, 400, "VALIDATION_FAILED");
        assertThat(r.text("field")).isEqualTo("password");
    }

    @Test
    void apiWithoutOrWithABadTokenIs401() {
        assertProblem(send("GET", "/api/suppliers", null, null), 401, "UNAUTHORIZED");
        assertProblem(send("GET", "/api/suppliers", null, "not-a-jwt"), 401, "UNAUTHORIZED");
        assertProblem(send("GET", "/api/suppliers", null, forgedToken("ADMIN")), 401, "UNAUTHORIZED");
    }

    /** Signed with the hub's own secret but not issued by the hub (another issuer, or none): refused. */
    @Test
    void aTokenTheHubDidNotIssueIs401EvenWithTheHubsSecret() {
        assertThat(send("GET", "/api/suppliers", null, signedByTheHub("dcx-hub")).status()).isEqualTo(200);
        assertProblem(send("GET", "/api/suppliers", null, signedByTheHub("another-service")), 401, "UNAUTHORIZED");
        assertProblem(send("GET", "/api/suppliers", null, signedByTheHub(null)), 401, "UNAUTHORIZED");
        // an issuer that is not a string: refused as well, never a 500
        assertProblem(send("GET", "/api/suppliers", null, signedByTheHub(List.of("dcx-hub"))), 401, "UNAUTHORIZED");
        assertProblem(send("GET", "/api/suppliers", null, signedByTheHub(12345)), 401, "UNAUTHORIZED");
    }

    private String signedByTheHub(Object issuer) {
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder().subject("admin").issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(600)).claim("roles", List.of("ADMIN"));
        if (issuer != null) {
            claims.claim("iss", issuer);
        }
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
    }

    @Test
    void roleThatMayNotActIs403() {
        Reply created = post("/api/users", "{\"username\":\"alice\",\"password\":\"alice-password\",\"role\":\"USER\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("role")).isEqualTo("USER");
        assertThat(created.body()).doesNotContain("password");
        String user = token("alice", "alice-password");

        assertProblem(send("GET", "/api/suppliers", null, user), 403, "FORBIDDEN");
        assertProblem(send("POST", "/api/users", "{\"username\":\"mallory\",\"password\":\"mallory-pass\",\"role\":\"ADMIN\"}", user),
                403, "FORBIDDEN");
    }

    @Test
    void serviceRoleMayPostLeadsButNotAdministerTheCatalog() {
        post("/api/users", "{\"username\":\"lead-feed\",\"password\":\"feed-password\",\"role\":\"SERVICE\"}");
        String service = token("lead-feed", "feed-password");

        Reply lead = send("POST", "/api/leads", "{\"contact_name\":\"Ann\",\"phone\":\"+15550001001\"}", service);
        assertThat(lead.status()).isEqualTo(201);
        assertProblem(send("GET", "/api/leads", null, service), 403, "FORBIDDEN");
        assertProblem(send("POST", "/api/suppliers", "{\"name\":\"x\",\"type\":\"NETWORK\"}", service), 403, "FORBIDDEN");
    }

    @Test
    void duplicateUsernameIs409() {
        post("/api/users", "{\"username\":\"bob\",\"password\":\"bob-password\",\"role\":\"USER\"}");
        Reply again = post("/api/users", "{\"username\":\"bob\",\"password\":\"other-password\",\"role\":\"USER\"}");
        assertProblem(again, 409, "CONFLICT");
        assertThat(again.text("field")).isEqualTo("username");
    }

    /** A well-formed HS256 JWT signed with a secret the hub does not know. */
    private static String forgedToken(String role) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            long exp = Instant.now().plusSeconds(600).getEpochSecond();
            String payload = b64.encodeToString(("{\"sub\":\"admin\",\"roles\":[\"" + role + "\"],\"exp\":" + exp + "}")
                    .getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String sig = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
            return header + "." + payload + "." + sig;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo(code);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.text("message")).isNotBlank();
    }
}
