package dev.palisade.testing;

import java.nio.file.Path;

/**
 * Renders the configuration file for {@code docker-registry serve}.
 *
 * <p>Written from scratch every time because Debian's {@code /etc/docker/registry/config.yml}
 * enables htpasswd auth on {@code :5000} for all interfaces, and a test must neither depend on
 * nor collide with a system registry.
 */
final class RegistryConfigYaml {

    private RegistryConfigYaml() {
    }

    /**
     * @param tls certificate and key to serve, or {@code null} for plain HTTP
     * @param htpasswd the htpasswd file to enforce, or {@code null} for no auth
     */
    static String render(int port, Path storage, String httpSecret, TlsMaterial tls, Path htpasswd) {
        StringBuilder yaml = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n")
                .append("  level: warn\n")
                .append("  accesslog:\n")
                .append("    disabled: true\n")
                .append("storage:\n")
                .append("  filesystem:\n")
                .append("    rootdirectory: ").append(quoted(storage)).append('\n')
                .append("  delete:\n")
                .append("    enabled: true\n")
                .append("http:\n")
                .append("  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: ").append(httpSecret).append('\n');
        if (tls != null) {
            yaml.append("  tls:\n")
                    .append("    certificate: ").append(quoted(tls.certificatePem())).append('\n')
                    .append("    key: ").append(quoted(tls.privateKeyPem())).append('\n');
        }
        if (htpasswd != null) {
            yaml.append("auth:\n")
                    .append("  htpasswd:\n")
                    .append("    realm: palisade-test-registry\n")
                    .append("    path: ").append(quoted(htpasswd)).append('\n');
        }
        return yaml.toString();
    }

    /** Temp paths come from java.io.tmpdir and could in principle hold YAML-special characters. */
    private static String quoted(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
