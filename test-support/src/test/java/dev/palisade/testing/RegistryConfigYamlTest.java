package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RegistryConfigYamlTest {

    @Test
    void plainConfigBindsLoopbackOnlyAndHasNoAuthOrTls() {
        String yaml = RegistryConfigYaml.render(5123, Path.of("/tmp/store"), "s", null, null);

        assertTrue(yaml.contains("  addr: 127.0.0.1:5123\n"), yaml);
        assertTrue(yaml.contains("    rootdirectory: '/tmp/store'\n"), yaml);
        assertTrue(yaml.contains("  delete:\n    enabled: true\n"), yaml);
        assertTrue(yaml.contains("  level: warn\n"), yaml);
        assertFalse(yaml.contains("auth:"), yaml);
        assertFalse(yaml.contains("tls:"), yaml);
    }

    @Test
    void securedConfigNamesCertificateKeyAndHtpasswd() {
        TlsMaterial tls = new TlsMaterial(Path.of("/t/cert.pem"), Path.of("/t/key.pem"), Path.of("/t/ts.p12"), "pw",
                null);

        String yaml = RegistryConfigYaml.render(5123, Path.of("/tmp/it's"), "s", tls, Path.of("/t/htpasswd"));

        assertTrue(yaml.contains("    rootdirectory: '/tmp/it''s'\n"), yaml);
        assertTrue(yaml.contains("  tls:\n    certificate: '/t/cert.pem'\n    key: '/t/key.pem'\n"), yaml);
        assertTrue(yaml.contains("auth:\n  htpasswd:\n    realm: palisade-test-registry\n    path: '/t/htpasswd'\n"),
                yaml);
    }
}
