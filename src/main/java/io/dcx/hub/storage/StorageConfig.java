package io.dcx.hub.storage;

import java.nio.file.Path;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link Storage} backend chosen by {@code DCX_STORAGE_BACKEND}: {@code local} (default) or {@code s3}. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    @Bean
    Storage storage(StorageProperties properties, ArtifactSigner signer, ProducerTemplate camel) {
        return switch (properties.backend().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "local" -> new LocalStorage(Path.of(properties.localPath()), signer);
            case "s3" -> new S3Storage(camel, properties.s3(), signer);
            default -> throw new IllegalStateException(
                    "DCX_STORAGE_BACKEND must be 'local' or 's3', not '" + properties.backend() + "'");
        };
    }
}
