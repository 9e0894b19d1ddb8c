package io.dcx.hub.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Artifacts as files under {@code LOCAL_STORAGE_PATH} (default {@code ./data}); writes are atomic (temp + move). */
public class LocalStorage extends SignedStorage {

    private final Path root;

    public LocalStorage(Path root, ArtifactSigner signer) {
        super(signer);
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void putObject(String key, byte[] content, String contentType) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
            try {
                Files.write(temp, content);
                try {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store " + key, e);
        }
    }

    @Override
    public Optional<byte[]> getObject(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + key, e);
        }
    }

    @Override
    public String backend() {
        return "local";
    }

    private Path resolve(String key) {
        Path path = root.resolve(StorageKeys.check(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("Not a valid object key: " + key);
        }
        return path;
    }
}
