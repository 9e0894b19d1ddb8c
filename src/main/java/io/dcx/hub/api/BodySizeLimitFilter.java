package io.dcx.hub.api;

import io.dcx.hub.config.HubProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body whole, on the container's request thread, before anything else sees it: bodies over
 * {@code dcx.http.max-body-bytes} are refused with 413, and a body that does not arrive within
 * {@code dcx.http.body-read-timeout} is answered 408 and its connection closed. The rest of the chain (Spring
 * Security, Camel's platform-http, which hands each request to a small executor) only ever gets a complete body in
 * memory: a client that announces a body and stalls can no longer hold one of the API's workers (it held all eight
 * for 30 s and every admin request failed meanwhile). A stalled read is ended by Tomcat's connection timeout
 * ({@code server.tomcat.connection-timeout}), a trickling one by the deadline checked after each read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // right after the start-up gate
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final long readTimeoutNanos;

    public BodySizeLimitFilter(HubProperties properties,
            @Value("${dcx.http.body-read-timeout:10s}") Duration readTimeout) {
        this.maxBytes = properties.http().maxBodyBytes();
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    /** Streaming uploads that enforce their own, larger limit while they read (lead CSV imports, ADMIN only). */
    static final Set<String> OWN_LIMIT_PATHS = Set.of("/api/leads/import");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return OWN_LIMIT_PATHS.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(response);
            return;
        }
        boolean chunked = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            chain.doFilter(request, response);
            return;
        }
        long deadline = System.nanoTime() + readTimeoutNanos;
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buffer = new byte[8192];
        InputStream in = request.getInputStream();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                body.write(buffer, 0, n);
                if (body.size() > maxBytes) {
                    tooLarge(response);
                    return;
                }
                if (System.nanoTime() - deadline > 0 && (declared < 0 || body.size() < declared)) {
                    timedOut(response);
                    return;
                }
            }
        } catch (IOException e) {
            // Tomcat's read timeout (or the client went away): the answer may not reach anyone, but try
            timedOut(response);
            return;
        }
        chain.doFilter(new ReplayedBody(request, body.toByteArray()), response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close");
        Problems.write(response, new ProblemException(413, "PAYLOAD_TOO_LARGE",
                "The request body is larger than " + maxBytes + " bytes"));
    }

    private static void timedOut(HttpServletResponse response) {
        try {
            response.setHeader("Connection", "close");
            Problems.write(response, new ProblemException(408, "REQUEST_TIMEOUT",
                    "The request body did not arrive in time"));
            response.flushBuffer();
        } catch (IOException | IllegalStateException ignored) {
            // the connection is gone; Tomcat closes it
        }
    }

    /**
     * The request with its body read: the stream, the reader and form parameters (which Tomcat can no longer parse
     * from a consumed stream; its own map still has the query string's) all come from the buffered bytes.
     */
    static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;
        private Map<String, String[]> parameters;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
        }

        private Charset charset() {
            String name = getCharacterEncoding();
            try {
                return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterMap().get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            return getParameterMap().get(name);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public synchronized Map<String, String[]> getParameterMap() {
            if (parameters == null) {
                Map<String, List<String>> merged = new LinkedHashMap<>();
                super.getParameterMap().forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(List.of(v)));
                String type = getContentType();
                if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                    Charset charset = charset();
                    for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
                        if (pair.isEmpty()) {
                            continue;
                        }
                        int eq = pair.indexOf('=');
                        try {
                            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset);
                            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
                            merged.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
                        } catch (IllegalArgumentException malformed) {
                            // a stray '%': skipped, as Tomcat skips it; the route's own parser refuses the form
                        }
                    }
                }
                Map<String, String[]> result = new LinkedHashMap<>();
                merged.forEach((k, v) -> result.put(k, v.toArray(String[]::new)));
                parameters = Collections.unmodifiableMap(result);
            }
            return parameters;
        }
    }
}
