package io.dcx.hub.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Errors Tomcat answers itself, before any servlet or filter (a rejected URI such as {@code /api/%2e%2e/x} or
 * {@code /%00}, a malformed request), are problem+json like every other error instead of Tomcat's HTML page: the
 * host's error report valve is replaced by {@link ProblemValve}. What Tomcat's connector refuses while parsing the
 * request line and headers (e.g. a header larger than {@code server.max-http-request-header-size}) never reaches a
 * valve: docs/http-edge.md says what that looks like.
 */
@Component
public class TomcatErrorPages implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            if (parent instanceof StandardHost host) {
                // Boot adds its own ErrorReportValve (without report): ours replaces it, and the host must not add one
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after Boot's TomcatWebServerFactoryCustomizer
    }

    /** Writes problem+json for any error response that nothing else has written a body for. */
    public static class ProblemValve extends ErrorReportValve {

        public ProblemValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String code = switch (status) {
                case 404 -> "NOT_FOUND";
                case 405 -> "METHOD_NOT_ALLOWED";
                case 408 -> "REQUEST_TIMEOUT";
                case 413 -> "PAYLOAD_TOO_LARGE";
                case 503 -> "NOT_READY";
                default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
            };
            String message = status >= 500 ? "The hub could not process the request"
                    : "The request was rejected by the HTTP server (malformed request line, path or headers)";
            try {
                response.setContentType(Problems.CONTENT_TYPE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(Problems.toJson(new ProblemException(status, code, message)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException ignored) {
                // the connection is gone
            }
        }
    }
}
