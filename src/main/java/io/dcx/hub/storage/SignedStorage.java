package io.dcx.hub.storage;

/** What every backend shares: the hub serves its artifacts itself, at URLs signed by {@link ArtifactSigner}. */
abstract class SignedStorage implements Storage {

    private final ArtifactSigner signer;

    SignedStorage(ArtifactSigner signer) {
        this.signer = signer;
    }

    @Override
    public final String signUrl(String key) {
        return signer.sign(StorageKeys.check(key));
    }
}
