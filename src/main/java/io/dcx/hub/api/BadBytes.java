package io.dcx.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input bytes the hub refuses rather than stores: request bodies that are not UTF-8 and text holding NUL (PostgreSQL
 * rejects 0x00 in text and {@code \u0000} in jsonb). Shared by the API's request check and the provider webhooks, so
 * every edge says no the same way instead of failing deep in a SQL statement.
 */
public final class BadBytes {

    private static final Logger log = LoggerFactory.getLogger(BadBytes.class);

    private BadBytes() {}

    /** The bytes as UTF-8, or a {@link CharacterCodingException} when they are not (no silent U+FFFD). */
    public static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Whether a Content-Type names a charset other than UTF-8 (none named means UTF-8, JSON's only encoding). */
    public static boolean declaresOtherCharset(String contentType) {
        if (contentType == null) {
            return false;
        }
        for (String part : contentType.split(";")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String name = p.substring(8).trim().replace("\"", "");
                return !name.equals("utf-8") && !name.equals("utf8");
            }
        }
        return false;
    }

    /**
     * Makes the request body a String decoded strictly as UTF-8, or refuses it: 415 for a declared charset other
     * than UTF-8, 400 (MALFORMED_JSON for JSON) for bytes that are not UTF-8. Camel would otherwise decode the body
     * lazily wherever a step first asks for a String, and a decoding failure there is a 500.
     */
    public static void requireUtf8Body(Exchange exchange) {
        var message = exchange.getMessage();
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String path = message.getHeader(Exchange.HTTP_URI, String.class);
        if (exchange.getException() != null && isBadBytes(exchange.getException())) {
            // stream caching read the body first and failed on its bytes: that failure is this answer
            exchange.setException(null);
            throw notUtf8(path, contentType);
        }
        if (message.getBody() == null) {
            return;
        }
        // before the body's type: a body already decoded (the conversions fast lane) still names its charset
        if (declaresOtherCharset(contentType)) {
            log.warn("Refused a {} body on {}: only UTF-8 is accepted", contentType, path);
            throw new ProblemException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Request bodies must be UTF-8; the Content-Type names another charset");
        }
        if (message.getBody() instanceof String) {
            return;
        }
        // text bodies arrive as the container's Reader, which decodes as UTF-8 and reports bytes that are not: stream
        // caching reads it first and, when that fails, leaves the spent Reader behind (its error swallowed), so a
        // Reader that cannot be read here is a body that is not UTF-8. Other bodies are bytes, decoded here.
        Object body = message.getBody();
        boolean spentReader = body instanceof java.io.Reader;
        try {
            boolean decoded = spentReader || body instanceof org.apache.camel.converter.stream.ReaderCache;
            String text = decoded ? message.getBody(String.class) : strictUtf8(message.getBody(byte[].class));
            if (decoded && text.indexOf('\uFFFD') >= 0) {
                // a lenient Reader replaced bytes that are not UTF-8 (a raw U+FFFD in a request body has no other source)
                throw notUtf8(path, contentType);
            }
            message.setBody(text);
        } catch (Exception e) {
            if (!isBadBytes(e) && !(spentReader && rootCause(e) instanceof java.io.IOException)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            throw notUtf8(path, contentType);
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static ProblemException notUtf8(String path, String contentType) {
        log.warn("Refused a body on {} that is not valid UTF-8", path);
        boolean jsonBody = contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json");
        return new ProblemException(400, jsonBody ? "MALFORMED_JSON" : "VALIDATION_FAILED",
                jsonBody ? "The request body is not valid JSON: it is not UTF-8" : "The request body is not valid UTF-8");
    }

    public static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** The first field path ("call.call_id") whose name or text value holds NUL, or null when there is none. */
    public static String nulField(JsonNode node) {
        return nulField(node, "");
    }

    private static String nulField(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return hasNul(node.textValue()) ? (path.isEmpty() ? "body" : path) : null;
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (hasNul(f.getKey())) {
                    return p;
                }
                String found = nulField(f.getValue(), p);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = nulField(node.get(i), path.isEmpty() ? String.valueOf(i) : path + "." + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Whether a failure comes from bad input bytes rather than from the hub: a body that does not decode, or
     * PostgreSQL refusing a character (SQLSTATE 22021 invalid byte sequence, e.g. 0x00; 22P05 untranslatable, e.g.
     * {@code \u0000} in jsonb). Callers answer these 4xx with a one-line WARN instead of a logged stack trace.
     */
    public static boolean isBadBytes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // StreamCacheException: Camel could not read the body at a route's entry; the container's Reader
            // refuses bytes that are not UTF-8, and Camel reports only the spent Reader ("Stream closed")
            if (t instanceof CharacterCodingException || t instanceof java.nio.charset.UnsupportedCharsetException
                    || t instanceof java.nio.charset.IllegalCharsetNameException
                    || t instanceof org.apache.camel.StreamCacheException) {
                return true;
            }
            if (t instanceof SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
