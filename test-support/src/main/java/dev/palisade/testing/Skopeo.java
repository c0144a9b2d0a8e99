package dev.palisade.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies images between transports with the real {@code skopeo} binary: the tool operators
 * actually use, so images it writes (to a registry, {@code docker-archive:}, {@code oci-archive:},
 * zstd layers) are realistic inputs for the project's readers.
 *
 * <p>Why a private configuration directory: skopeo otherwise reads {@code /etc/containers/}
 * (signature policy, registries.conf mirrors and aliases, registries.d sigstore settings) and the
 * user's auth files, any of which can change what a test does. Here it gets a permissive
 * {@code policy.json}, an empty {@code registries.conf} and {@code registries.d}, and
 * {@code REGISTRY_AUTH_FILE} pointing at an empty auth file, so only the options a test passes
 * matter. (Its blob-info cache under {@code /var/lib/containers/cache} is still shared; see
 * {@link SkopeoOption#destCompressFormat}.)
 *
 * <p>Quirk: {@code docker-archive:} output stores each {@code <id>/layer.tar} as a symlink to
 * {@code <diffid>.tar} at the top of the archive.
 */
public final class Skopeo implements AutoCloseable {

    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(5);

    private final Path binary;
    private final Path configDir;

    private Skopeo(Path binary, Path configDir) {
        this.binary = binary;
        this.configDir = configDir;
    }

    /**
     * @throws IllegalStateException when skopeo is not installed, naming the package
     */
    public static Skopeo create() {
        Path binary = RequiredBinaries.skopeo();
        Path configDir = FileTrees.createTempDirectory("palisade-skopeo-");
        try {
            Files.createDirectories(configDir.resolve("registries.d"));
            Files.createDirectories(configDir.resolve("tmp"));
            Files.writeString(configDir.resolve("policy.json"),
                    "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
            Files.writeString(configDir.resolve("registries.conf"), "unqualified-search-registries = []\n");
            Files.writeString(configDir.resolve("no-auth.json"), "{\"auths\":{}}\n");
        } catch (IOException e) {
            FileTrees.deleteRecursively(configDir);
            throw new UncheckedIOException(e);
        }
        return new Skopeo(binary, configDir);
    }

    /**
     * {@code skopeo copy [options] SOURCE DESTINATION}.
     *
     * @param source e.g. {@link #oci}, {@link RegistryEndpoint#dockerTransport}
     * @param destination e.g. {@link #dockerArchive}, {@link #ociArchive}
     * @throws ProcessFailedException with skopeo's stderr when the copy fails
     */
    public ProcessResult copy(String source, String destination, SkopeoOption... options) {
        List<String> arguments = new ArrayList<>(globalArguments());
        arguments.add("copy");
        arguments.add("--quiet");
        for (SkopeoOption option : options) {
            arguments.addAll(option.arguments());
        }
        arguments.add(source);
        arguments.add(destination);
        return ProcessRunner.run(command(arguments));
    }

    /** {@code oci:LAYOUT:TAG}: an image in an OCI layout directory. */
    public static String oci(Path layout, String tag) {
        return "oci:" + layout.toAbsolutePath() + ":" + tag;
    }

    /** {@code oci-archive:FILE:TAG}: an OCI layout in a tar file. */
    public static String ociArchive(Path file, String tag) {
        return "oci-archive:" + file.toAbsolutePath() + ":" + tag;
    }

    /**
     * {@code docker-archive:FILE:REFERENCE}: {@code docker save} format. As a destination the
     * reference (e.g. {@code example.test/app:1}) is recorded in {@code RepoTags}.
     */
    public static String dockerArchive(Path file, String reference) {
        return "docker-archive:" + file.toAbsolutePath() + ":" + reference;
    }

    /** {@code docker://HOST/REPOSITORY:TAG}. */
    public static String docker(String hostRepositoryTag) {
        return "docker://" + hostRepositoryTag;
    }

    /** Deletes the private configuration directory. */
    @Override
    public void close() {
        FileTrees.deleteRecursively(configDir);
    }

    private List<String> globalArguments() {
        return List.of("--policy", configDir.resolve("policy.json").toString(),
                "--registries.d", configDir.resolve("registries.d").toString(),
                "--tmpdir", configDir.resolve("tmp").toString());
    }

    private Command command(List<String> arguments) {
        return Command.of(binary, arguments)
                .withTimeout(COPY_TIMEOUT)
                .withEnvironment("CONTAINERS_REGISTRIES_CONF", configDir.resolve("registries.conf").toString())
                .withEnvironment("REGISTRY_AUTH_FILE", configDir.resolve("no-auth.json").toString());
    }
}
