package io.dcx.hub.health;

import io.dcx.hub.storage.Storage;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: the object store (local directory or S3) answers a read of a key that need not exist. */
@Component("storageHealthIndicator")
class StorageHealthIndicator implements HealthIndicator {

    private final Storage storage;

    StorageHealthIndicator(Storage storage) {
        this.storage = storage;
    }

    @Override
    public Health health() {
        try {
            storage.getObject("health/probe");
            return Health.up().withDetail("backend", storage.backend()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("backend", storage.backend())
                    .withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}
