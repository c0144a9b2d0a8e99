package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flags handed to umoci and skopeo, checked without running them. */
class ArgumentsTest {

    @Test
    void imageConfigBecomesUmociConfigFlags() {
        ImageConfig config = ImageConfig.unchanged()
                .withEntrypoint("/bin/sh", "-c")
                .withCmd("echo hi")
                .withEnv("PATH", "/usr/bin")
                .withLabel("org.example", "x=y")
                .withUser("1000")
                .withCreated(Instant.parse("2020-01-01T00:00:00Z"))
                .withHistory(History.createdBy("wget http://example.test/x | sh"));

        assertEquals(List.of("--config.entrypoint=/bin/sh", "--config.entrypoint=-c", "--config.cmd=echo hi",
                "--config.env=PATH=/usr/bin", "--config.label=org.example=x=y", "--config.user=1000",
                "--created=2020-01-01T00:00:00Z", "--history.created_by=wget http://example.test/x | sh"),
                config.umociArguments());
    }

    @Test
    void emptyEntrypointClearsIt() {
        assertEquals(List.of("--clear=config.entrypoint"), ImageConfig.unchanged().withEntrypoint().umociArguments());
    }

    @Test
    void historyNoneSuppressesTheEntry() {
        assertEquals(List.of("--no-history"), History.NONE.umociArguments());
        assertEquals(List.of(), History.DEFAULT.umociArguments());
    }

    @Test
    void pushToTlsRegistryUsesCertDirAndAuthFileNeverCredentials() {
        RegistryEndpoint tls = endpoint(true);

        List<String> arguments = SkopeoOption.pushTo(tls).arguments();

        assertEquals(List.of("--dest-tls-verify=true", "--dest-cert-dir", "/r/certs.d", "--dest-authfile",
                "/r/auth.json"), arguments);
        assertFalse(arguments.stream().anyMatch(argument -> argument.contains("creds")));
    }

    @Test
    void pullFromPlainRegistryTurnsTlsVerificationOff() {
        assertEquals(List.of("--src-tls-verify=false", "--src-authfile", "/r/auth.json"),
                SkopeoOption.pullFrom(endpoint(false)).arguments());
    }

    @Test
    void transportsAreSpelledTheWaySkopeoWantsThem() {
        assertEquals("oci:/l:v1", Skopeo.oci(Path.of("/l"), "v1"));
        assertEquals("oci-archive:/a.tar:v1", Skopeo.ociArchive(Path.of("/a.tar"), "v1"));
        assertEquals("docker-archive:/d.tar:example.test/app:1", Skopeo.dockerArchive(Path.of("/d.tar"),
                "example.test/app:1"));
        assertEquals("docker://127.0.0.1:5000/a/b:t", endpoint(false).dockerTransport("a/b", "t"));
    }

    private static RegistryEndpoint endpoint(boolean tls) {
        return new RegistryEndpoint() {
            @Override
            public String host() {
                return "127.0.0.1:5000";
            }

            @Override
            public boolean isTls() {
                return tls;
            }

            @Override
            public Path skopeoAuthFile() {
                return Path.of("/r/auth.json");
            }

            @Override
            public Path skopeoCertDir() {
                return Path.of("/r/certs.d");
            }
        };
    }
}
