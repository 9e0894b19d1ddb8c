package io.dcx.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.config.HubProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The local backend and the URL signer as plain Java. */
class LocalStorageTest {

    @TempDir
    Path root;

    ArtifactSigner signer(Instant now) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("clock", Clock.fixed(now, ZoneOffset.UTC));
        return new ArtifactSigner(new StorageProperties("local", root.toString(), "secret", 60,
                new StorageProperties.S3("b", "us-east-1", null, false, null, null, false)),
                new HubProperties("https://hub.example/", null, null, null, null), beans.getBeanProvider(Clock.class));
    }

    @Test
    void putGetDeleteUnderTheRoot() throws Exception {
        LocalStorage storage = new LocalStorage(root, signer(Instant.now()));
        storage.putObject("recordings/CA1.mp3", "audio".getBytes(StandardCharsets.UTF_8), "audio/mpeg");
        assertThat(Files.readString(root.resolve("recordings/CA1.mp3"))).isEqualTo("audio");
        assertThat(storage.getObject("recordings/CA1.mp3")).contains("audio".getBytes(StandardCharsets.UTF_8));
        storage.putObject("recordings/CA1.mp3", "again".getBytes(StandardCharsets.UTF_8), "audio/mpeg");
        assertThat(storage.getObject("recordings/CA1.mp3")).contains("again".getBytes(StandardCharsets.UTF_8));
        storage.delete("recordings/CA1.mp3");
        storage.delete("recordings/CA1.mp3");
        assertThat(storage.getObject("recordings/CA1.mp3")).isEmpty();
        try (var files = Files.list(root.resolve("recordings"))) {
            assertThat(files).isEmpty(); // no temp files left behind
        }
    }

    @Test
    void keysCannotLeaveTheRoot() {
        LocalStorage storage = new LocalStorage(root, signer(Instant.now()));
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "", "a/./b", "a b"}) {
            assertThatThrownBy(() -> storage.getObject(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void signedUrlsExpireAndCannotBeAltered() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        ArtifactSigner signer = signer(now);
        String url = signer.sign("transcripts/abc.json");
        assertThat(url).startsWith("https://hub.example/artifacts/transcripts/abc.json?expires=" + (now.getEpochSecond() + 60)
                + "&signature=");
        String signature = url.substring(url.indexOf("signature=") + 10);
        String expires = String.valueOf(now.getEpochSecond() + 60);
        assertThat(signer.verify("transcripts/abc.json", expires, signature)).isEqualTo(ArtifactSigner.Verdict.VALID);
        assertThat(signer(now.plusSeconds(60)).verify("transcripts/abc.json", expires, signature))
                .isEqualTo(ArtifactSigner.Verdict.EXPIRED);
        assertThat(signer.verify("transcripts/abd.json", expires, signature)).isEqualTo(ArtifactSigner.Verdict.INVALID);
        assertThat(signer.verify("transcripts/abc.json", expires + "0", signature)).isEqualTo(ArtifactSigner.Verdict.INVALID);
        assertThat(signer.verify("transcripts/abc.json", "soon", signature)).isEqualTo(ArtifactSigner.Verdict.INVALID);
        assertThat(signer.verify("transcripts/abc.json", expires, null)).isEqualTo(ArtifactSigner.Verdict.INVALID);
    }
}
