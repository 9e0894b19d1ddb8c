package io.dcx.hub.storage;

import io.dcx.hub.api.ApiErrorHandling;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code GET /artifacts/<key>?expires=…&signature=…}: serves a stored artifact to whoever holds a valid signed URL
 * ({@link ArtifactSigner}); an expired or altered URL is a 403 problem, a missing object a 404.
 */
@Component
class ArtifactRoutes extends RouteBuilder {

    private final Storage storage;
    private final ArtifactSigner signer;

    ArtifactRoutes(Storage storage, ArtifactSigner signer) {
        this.storage = storage;
        this.signer = signer;
    }

    @Override
    public void configure() {
        from("platform-http:/artifacts?matchOnUriPrefix=true&httpMethodRestrict=GET")
                .routeId("artifact-download")
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(this::serve);
    }

    private void serve(Exchange e) {
        String key = keyOf(e.getMessage().getHeader(Exchange.HTTP_URI, String.class));
        Map<String, String> q = QueryParameters.of(e);
        switch (signer.verify(key, q.get("expires"), q.get("signature"))) {
            case EXPIRED -> throw new ProblemException(403, "ARTIFACT_URL_EXPIRED", "This artifact URL has expired");
            case INVALID -> throw new ProblemException(403, "ARTIFACT_SIGNATURE_INVALID",
                    "This artifact URL is not signed by the hub or was altered");
            case VALID -> { }
        }
        byte[] content = StorageKeys.isValid(key) ? storage.getObject(key).orElse(null) : null;
        if (content == null) {
            throw ProblemException.notFound("Artifact", key);
        }
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, contentType(key));
        m.setHeader("Cache-Control", "private, no-store");
        m.setBody(content);
    }

    static String keyOf(String uri) {
        String path = uri == null ? "" : uri;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int at = path.indexOf(ArtifactSigner.PATH);
        String raw = at < 0 ? "" : path.substring(at + ArtifactSigner.PATH.length());
        StringBuilder key = new StringBuilder();
        for (String segment : raw.split("/", -1)) {
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return key.toString();
    }

    static String contentType(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (k.endsWith(".mp3")) {
            return "audio/mpeg";
        }
        if (k.endsWith(".wav")) {
            return "audio/wav";
        }
        if (k.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
