package dev.palisade.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the external programs the harness drives and fails loudly when one is missing.
 *
 * <p>Why fail instead of skip: a skipped integration test looks green in CI while proving
 * nothing. A missing binary is a broken machine, and the message names the Debian package so
 * the fix is one copy-paste away.
 */
public final class RequiredBinaries {

    private static final List<Path> WELL_KNOWN_DIRECTORIES =
            List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin"), Path.of("/bin"));

    private RequiredBinaries() {
    }

    /**
     * Returns the absolute path of {@code binary}, looked up on {@code PATH} and then in the usual
     * system directories.
     *
     * @param binary the program name, e.g. {@code "umoci"}
     * @param debianPackage the package that ships it, e.g. {@code "apache2-utils"} for htpasswd
     * @throws IllegalStateException naming the package to install when the binary is missing
     */
    public static Path require(String binary, String debianPackage) {
        for (Path directory : searchPath()) {
            Path candidate = directory.resolve(binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(binary + " is not installed: apt-get install -y " + debianPackage
                + " (package " + debianPackage + ")");
    }

    /** Debian's distribution registry, {@code /usr/bin/docker-registry}. */
    public static Path dockerRegistry() {
        return require("docker-registry", "docker-registry");
    }

    public static Path skopeo() {
        return require("skopeo", "skopeo");
    }

    public static Path umoci() {
        return require("umoci", "umoci");
    }

    public static Path htpasswd() {
        return require("htpasswd", "apache2-utils");
    }

    public static Path openssl() {
        return require("openssl", "openssl");
    }

    private static List<Path> searchPath() {
        Set<Path> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(WELL_KNOWN_DIRECTORIES);
        return new ArrayList<>(directories);
    }
}
