package dev.palisade.testing;

import java.net.URI;
import java.nio.file.Path;

/**
 * How clients reach a test registry: its address, whether it speaks TLS, and the files skopeo
 * reads instead of taking credentials or certificates on its command line.
 */
public interface RegistryEndpoint {

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    String host();

    boolean isTls();

    /** {@code https://127.0.0.1:PORT} or {@code http://127.0.0.1:PORT}. */
    default URI baseUri() {
        return URI.create((isTls() ? "https://" : "http://") + host());
    }

    /**
     * A containers-auth.json ({@code {"auths":{"HOST":{"auth":"..."}}}}), which is also a valid
     * Docker {@code config.json}. Holds no entry for a registry without auth.
     */
    Path skopeoAuthFile();

    /** A directory holding {@code ca.crt}, for skopeo's {@code --dest-cert-dir}; empty without TLS. */
    Path skopeoCertDir();

    /** {@code 127.0.0.1:PORT/REPOSITORY:TAG}. */
    default String imageReference(String repository, String tag) {
        return host() + "/" + repository + ":" + tag;
    }

    /** {@code docker://127.0.0.1:PORT/REPOSITORY:TAG}, the skopeo transport for this registry. */
    default String dockerTransport(String repository, String tag) {
        return "docker://" + imageReference(repository, tag);
    }
}
