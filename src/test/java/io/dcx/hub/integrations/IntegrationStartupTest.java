package io.dcx.hub.integrations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.HubApplication;
import io.dcx.hub.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A YAML file that does not parse, or that names an unknown component, stops the real application at start-up. */
class IntegrationStartupTest {

    private static final String DB = TestDatabase.url("integrations_startup");

    @TempDir
    Path routes;

    private void start() {
        new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.datasource.url=" + DB,
                "--spring.datasource.username=" + TestDatabase.USERNAME,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                "--dcx.integrations.routes-directory=" + routes,
                "--logging.level.root=OFF");
    }

    @Test
    void aFileThatDoesNotParseFailsStartupWithFileAndLine() throws Exception {
        Files.writeString(routes.resolve("a-good.yaml"), "- route:\n    id: good\n    from:\n      uri: direct:good\n"
                + "      steps:\n        - log: good\n");
        Files.writeString(routes.resolve("broken.yaml"), "- route:\n    id: broken\n    from:\n      uri: direct:broken\n"
                + "      steps:\n        - log: [unclosed\n        - to: direct:x\n");
        assertThatThrownBy(this::start).hasStackTraceContaining("Integration route file " + routes.resolve("broken.yaml"))
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(message(e)).containsPattern("broken\\.yaml, line [67]: "));
    }

    @Test
    void anUnknownComponentFailsStartupWithFileAndLine() throws Exception {
        Files.writeString(routes.resolve("chat.yaml"), "# posts to a chat\n- route:\n    id: chat\n    from:\n"
                + "      uri: direct:chat\n      steps:\n        - to:\n            uri: slak:alerts\n");
        assertThatThrownBy(this::start).satisfies(e -> org.assertj.core.api.Assertions.assertThat(message(e))
                .contains("Integration route file " + routes.resolve("chat.yaml") + ", line 7: unknown component 'slak'"));
    }

    /** The hub's message, wherever Spring and Camel wrapped it. */
    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IntegrationRouteException) {
                return t.getMessage();
            }
        }
        throw new AssertionError("no IntegrationRouteException in", e);
    }
}
