package io.dcx.hub.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Twilio SDK's own retry (3 tries on any 5xx) is off for POST, so a 5xx to POST /Calls reaches the hub after one
 * request; GETs keep it. Requests go to the configured base URL.
 */
class RebasedTwilioHttpClientTest {

    @Test
    void postIsSentOnceAndGetIsRetriedAgainstTheBaseUrl() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            RebasedTwilioHttpClient client = new RebasedTwilioHttpClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Request post = new Request(HttpMethod.POST, "api", "/2010-04-01/Accounts/AC1/Calls.json");
            post.addPostParam("To", "+15551230000");
            Response posted = client.reliableRequest(post);
            assertThat(posted.getStatusCode()).isEqualTo(500);
            assertThat(seen).containsExactly("POST /2010-04-01/Accounts/AC1/Calls.json");

            seen.clear();
            Request get = new Request(HttpMethod.GET, "api", "/2010-04-01/Accounts/AC1/Calls.json");
            get.addQueryParam("To", "+15551230000");
            client.reliableRequest(get);
            assertThat(seen).hasSize(3).allMatch(s -> s.startsWith("GET /2010-04-01/Accounts/AC1/Calls.json?To="));
        } finally {
            server.stop(0);
        }
    }
}
