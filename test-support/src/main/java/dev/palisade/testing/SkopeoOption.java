package dev.palisade.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One or more {@code skopeo copy} flags. Build them with the static factories; combine freely.
 *
 * <p>Registry credentials are only ever passed as an auth <em>file</em>, never as
 * {@code --dest-creds user:pass}, because argv shows up in {@code ps} and in failure messages.
 *
 * @param arguments the flags as skopeo expects them
 */
public record SkopeoOption(List<String> arguments) {

    public SkopeoOption {
        arguments = List.copyOf(arguments);
    }

    /**
     * Everything needed to write to {@code registry}: TLS verification against its own CA and its
     * auth file, or TLS verification off for a plain-HTTP registry.
     */
    public static SkopeoOption pushTo(RegistryEndpoint registry) {
        return registry.isTls()
                ? combine(destTlsVerify(true), destCertDir(registry.skopeoCertDir()),
                        destAuthFile(registry.skopeoAuthFile()))
                : combine(destTlsVerify(false), destAuthFile(registry.skopeoAuthFile()));
    }

    /** Everything needed to read from {@code registry}; the source-side twin of {@link #pushTo}. */
    public static SkopeoOption pullFrom(RegistryEndpoint registry) {
        return registry.isTls()
                ? combine(srcTlsVerify(true), srcCertDir(registry.skopeoCertDir()),
                        srcAuthFile(registry.skopeoAuthFile()))
                : combine(srcTlsVerify(false), srcAuthFile(registry.skopeoAuthFile()));
    }

    /** {@code --dest-tls-verify=BOOL}; false also allows plain HTTP. */
    public static SkopeoOption destTlsVerify(boolean verify) {
        return of("--dest-tls-verify=" + verify);
    }

    /** {@code --dest-cert-dir DIR}: trust the {@code *.crt} files in DIR. */
    public static SkopeoOption destCertDir(Path directory) {
        return of("--dest-cert-dir", directory.toString());
    }

    /** {@code --dest-authfile FILE}: credentials for the destination registry. */
    public static SkopeoOption destAuthFile(Path file) {
        return of("--dest-authfile", file.toString());
    }

    /** {@code --src-tls-verify=BOOL}; false also allows plain HTTP. */
    public static SkopeoOption srcTlsVerify(boolean verify) {
        return of("--src-tls-verify=" + verify);
    }

    public static SkopeoOption srcCertDir(Path directory) {
        return of("--src-cert-dir", directory.toString());
    }

    public static SkopeoOption srcAuthFile(Path file) {
        return of("--src-authfile", file.toString());
    }

    /**
     * {@code --dest-compress-format FORMAT}, e.g. {@code zstd} or {@code gzip}. Note: skopeo 1.9
     * reuses a blob the destination registry already holds (or can mount from another of its
     * repositories, as remembered in its blob-info cache) instead of recompressing it; only layers
     * new to that registry get the requested format.
     */
    public static SkopeoOption destCompressFormat(String format) {
        return of("--dest-compress-format", format);
    }

    /** {@code --dest-compress-format zstd}. */
    public static SkopeoOption zstd() {
        return destCompressFormat("zstd");
    }

    /** {@code --format oci|v2s2}: the manifest type written to the destination. */
    public static SkopeoOption format(ManifestFormat format) {
        return of("--format", format.skopeoName());
    }

    /** {@code --all}: copy every image of a manifest list / index, not just the current platform's. */
    public static SkopeoOption all() {
        return of("--all");
    }

    /** {@code --preserve-digests}: fail rather than change a manifest digest. */
    public static SkopeoOption preserveDigests() {
        return of("--preserve-digests");
    }

    public static SkopeoOption of(String... arguments) {
        return new SkopeoOption(List.of(arguments));
    }

    public static SkopeoOption combine(SkopeoOption... options) {
        List<String> all = new ArrayList<>();
        for (SkopeoOption option : options) {
            all.addAll(option.arguments());
        }
        return new SkopeoOption(all);
    }

    /** Manifest types skopeo can write. */
    public enum ManifestFormat {
        /** {@code application/vnd.oci.image.manifest.v1+json} */
        OCI("oci"),
        /** {@code application/vnd.docker.distribution.manifest.v2+json} */
        DOCKER_V2S2("v2s2");

        private final String skopeoName;

        ManifestFormat(String skopeoName) {
            this.skopeoName = skopeoName;
        }

        public String skopeoName() {
            return skopeoName;
        }
    }
}
