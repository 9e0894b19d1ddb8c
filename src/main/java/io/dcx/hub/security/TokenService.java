package io.dcx.hub.security;

import io.dcx.hub.config.HubProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;

/** Issues the hub's bearer tokens: HS256 JWTs with subject, roles, expiry and, for a BUYER user, its buyer. */
@Service
public class TokenService {

    static final String ISSUER = "dcx-hub";
    private final JwtEncoder encoder;
    private final Duration ttl;

    public TokenService(JwtEncoder encoder, HubProperties properties) {
        this.encoder = encoder;
        this.ttl = properties.security().tokenTtl();
    }

    public record Token(String accessToken, String tokenType, long expiresIn) {}

    /** @param buyerId the buyer a BUYER user speaks for (claim {@code buyer_id}); null for the other roles */
    public Token issue(String subject, Role role, UUID buyerId) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder builder = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .claim(SecurityConfig.ROLES_CLAIM, List.of(role.name()));
        if (buyerId != null) {
            builder.claim(SecurityConfig.BUYER_CLAIM, buyerId.toString());
        }
        JwtClaimsSet claims = builder.build();
        String jwt = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new Token(jwt, "Bearer", ttl.toSeconds());
    }
}
