package io.dcx.hub.support;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Requests Tomcat refuses before any servlet sees them (an encoded slash or NUL in the path, a path that is not
 * UTF-8, a malformed request line) are answered as problem+json instead of Tomcat's HTML error page.
 */
@Configuration(proxyBeanMethods = false)
public class TomcatProblemReports {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    /** Tomcat's error report, as a problem document; never a stack trace. */
    public static class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String code = switch (status) {
                case 404 -> "NOT_FOUND";
                case 405 -> "METHOD_NOT_ALLOWED";
                case 413 -> "PAYLOAD_TOO_LARGE";
                case 415 -> "UNSUPPORTED_MEDIA_TYPE";
                default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
            };
            String message = status == 400 ? "The request is not valid HTTP (e.g. its path holds an encoded slash, NUL or bytes that are not UTF-8)"
                    : status >= 500 ? "The hub could not process the request" : "The request was refused";
            try {
                response.setContentType(Problems.CONTENT_TYPE);
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(Problems.toJson(new ProblemException(status, code, message)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away or the response is already committed: nothing more to say
            }
        }
    }
}
