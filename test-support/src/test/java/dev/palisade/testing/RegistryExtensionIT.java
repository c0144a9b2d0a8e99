package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Both registry flavours, and the whole real path: umoci builds, skopeo pushes, the registry serves. */
class RegistryExtensionIT {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @RegisterExtension
    static final RegistryExtension plain = RegistryExtension.plain();

    @RegisterExtension
    static final RegistryExtension secured = RegistryExtension.tlsWithBasicAuth();

    @TempDir
    Path work;

    @Test
    void plainRegistryAnswersAnonymousRequestsOverHttp() throws Exception {
        assertEquals(URI.create("http://" + plain.host()), plain.baseUri());
        assertFalse(plain.isTls());

        HttpResponse<String> response = Http.get(plain.newHttpClient(), plain.baseUri().resolve("/v2/"), null, null);

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void securedRegistryRefusesAnonymousRequestsWithABasicChallenge() throws Exception {
        HttpResponse<String> response = Http.get(clientTrusting(secured), secured.baseUri().resolve("/v2/"), null,
                null);

        assertEquals(401, response.statusCode());
        assertEquals("Basic realm=\"palisade-test-registry\"",
                response.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void securedRegistryAcceptsItsCredentialsOverTls() throws Exception {
        assertTrue(secured.isTls());
        assertEquals("https", secured.baseUri().getScheme());

        HttpResponse<String> response = Http.get(clientTrusting(secured), secured.baseUri().resolve("/v2/"),
                secured.credentials().authorizationHeader(), null);

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void securedRegistryRejectsWrongPassword() throws Exception {
        BasicAuthCredentials wrong = new BasicAuthCredentials(secured.username(), secured.password() + "x");

        HttpResponse<String> response = Http.get(clientTrusting(secured), secured.baseUri().resolve("/v2/"),
                wrong.authorizationHeader(), null);

        assertEquals(401, response.statusCode());
    }

    @Test
    void securedRegistryIsNotTrustedWithoutItsCertificate() {
        assertThrows(SSLHandshakeException.class, () -> Http.get(HttpClient.newHttpClient(),
                secured.baseUri().resolve("/v2/"), null, null));
    }

    @Test
    void truststoreHoldsExactlyTheRegistryCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(secured.truststore())) {
            store.load(in, secured.truststorePassword().toCharArray());
        }
        Certificate pem;
        try (InputStream in = Files.newInputStream(secured.caCertificate())) {
            pem = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }

        assertEquals(1, Collections.list(store.aliases()).size());
        assertEquals(pem, store.getCertificate(store.aliases().nextElement()));
        assertTrue(Files.isRegularFile(secured.skopeoCertDir().resolve("ca.crt")));
    }

    @Test
    void authFileCarriesCredentialsForThisHostOnly() throws Exception {
        String authFile = Files.readString(secured.skopeoAuthFile());

        assertEquals("{\"auths\":{\"" + secured.host() + "\":{\"auth\":\"" + secured.credentials().base64()
                + "\"}}}", authFile.strip());
        assertEquals("{\"auths\":{}}", Files.readString(plain.skopeoAuthFile()).strip());
    }

    @Test
    void umociImagePushedBySkopeoIsServedWithItsLayersAndWhiteout() throws Exception {
        Umoci umoci = Umoci.create();
        OciImage image = twoLayerImageWithWhiteout(umoci, work.resolve("layout"));

        try (Skopeo skopeo = Skopeo.create()) {
            skopeo.copy(image.skopeoReference(), secured.dockerTransport("palisade/e2e", "v1"),
                    SkopeoOption.pushTo(secured));

            HttpClient client = clientTrusting(secured);
            String auth = secured.credentials().authorizationHeader();
            HttpResponse<String> tags = Http.get(client, secured.baseUri().resolve("/v2/palisade/e2e/tags/list"),
                    auth, null);
            assertEquals(200, tags.statusCode(), tags.body());
            assertEquals("{\"name\":\"palisade/e2e\",\"tags\":[\"v1\"]}", tags.body().strip());

            HttpResponse<String> manifest = Http.get(client,
                    secured.baseUri().resolve("/v2/palisade/e2e/manifests/v1"), auth, OCI_MANIFEST);
            assertEquals(200, manifest.statusCode(), manifest.body());
            assertEquals(2, Http.count(manifest.body(), "application/vnd.oci.image.layer.v1.tar+gzip"),
                    manifest.body());

            Path pulled = work.resolve("pulled");
            skopeo.copy(secured.dockerTransport("palisade/e2e", "v1"), Skopeo.oci(pulled, "v1"),
                    SkopeoOption.pullFrom(secured));
            Path rootfs = umoci.unpack(new OciImage(pulled, "v1"), work.resolve("bundle"));
            assertEquals("alpha\n", Files.readString(rootfs.resolve("etc/palisade/a.txt")));
            assertEquals("gamma\n", Files.readString(rootfs.resolve("etc/palisade/c.txt")));
            assertFalse(Files.exists(rootfs.resolve("etc/palisade/b.txt")), "the whiteout did not delete b.txt");
        }
    }

    /** Layer 1: a.txt and b.txt. Layer 2: deletes b.txt (a whiteout) and adds c.txt. */
    static OciImage twoLayerImageWithWhiteout(Umoci umoci, Path layout) throws Exception {
        Path source = Files.createTempDirectory("palisade-it-src-");
        try {
            Path dir = Files.createDirectories(source.resolve("etc/palisade"));
            Files.writeString(dir.resolve("a.txt"), "alpha\n");
            Files.writeString(dir.resolve("b.txt"), "beta\n");
            OciImage image = umoci.newImage(layout, "v1");
            umoci.insert(image, source.resolve("etc"), "/etc", History.createdBy("COPY etc /etc"));
            umoci.editRootfs(image, rootfs -> {
                Files.delete(rootfs.resolve("etc/palisade/b.txt"));
                Files.writeString(rootfs.resolve("etc/palisade/c.txt"), "gamma\n", StandardCharsets.UTF_8);
            }, History.createdBy("RUN rm /etc/palisade/b.txt && echo gamma > /etc/palisade/c.txt"));
            return umoci.configure(image, ImageConfig.unchanged().withEntrypoint("/bin/true")
                    .withLabel("org.opencontainers.image.title", "palisade-it").withHistory(History.NONE));
        } finally {
            FileTrees.deleteRecursively(source);
        }
    }

    private static HttpClient clientTrusting(RegistryExtension registry) {
        return HttpClient.newBuilder().sslContext(registry.sslContext()).build();
    }
}
