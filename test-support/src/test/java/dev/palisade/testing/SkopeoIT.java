package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The transports and options the project's tests rely on, against a plain registry. */
class SkopeoIT {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    @RegisterExtension
    static final RegistryExtension registry = RegistryExtension.plain();

    @TempDir
    Path work;

    private final Umoci umoci = Umoci.create();
    private final Skopeo skopeo = Skopeo.create();

    @AfterEach
    void closeSkopeo() {
        skopeo.close();
    }

    @Test
    void zstdCompressionAppliesToLayersNewToTheRegistry() throws Exception {
        OciImage image = uniqueImage("zstd");

        skopeo.copy(image.skopeoReference(), registry.dockerTransport("palisade/zstd", "v1"),
                SkopeoOption.pushTo(registry), SkopeoOption.zstd(), SkopeoOption.format(
                        SkopeoOption.ManifestFormat.OCI));

        String manifest = manifest("palisade/zstd", "v1", OCI_MANIFEST).body();
        assertEquals(2, Http.count(manifest, "application/vnd.oci.image.layer.v1.tar+zstd"), manifest);
        assertEquals(0, Http.count(manifest, "tar+gzip"), manifest);
    }

    @Test
    void dockerV2Schema2FormatIsServedAsADockerManifest() throws Exception {
        OciImage image = uniqueImage("v2s2");

        skopeo.copy(image.skopeoReference(), registry.dockerTransport("palisade/v2s2", "v1"),
                SkopeoOption.pushTo(registry), SkopeoOption.format(SkopeoOption.ManifestFormat.DOCKER_V2S2));

        HttpResponse<String> manifest = manifest("palisade/v2s2", "v1", DOCKER_MANIFEST + ", " + OCI_MANIFEST);
        assertEquals(DOCKER_MANIFEST, manifest.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void dockerArchiveRoundTripKeepsTheFiles() throws Exception {
        OciImage image = uniqueImage("docker-archive");
        Path archive = work.resolve("image.docker.tar");

        skopeo.copy(image.skopeoReference(), Skopeo.dockerArchive(archive, "example.test/palisade:1"));
        skopeo.copy(Skopeo.dockerArchive(archive, "example.test/palisade:1"), Skopeo.oci(work.resolve("back"), "v1"));

        assertRoundTripped(new OciImage(work.resolve("back"), "v1"), "docker-archive");
    }

    @Test
    void ociArchiveRoundTripKeepsTheFiles() throws Exception {
        OciImage image = uniqueImage("oci-archive");
        Path archive = work.resolve("image.oci.tar");

        skopeo.copy(image.skopeoReference(), Skopeo.ociArchive(archive, "v1"));
        skopeo.copy(Skopeo.ociArchive(archive, "v1"), Skopeo.oci(work.resolve("back"), "v1"));

        assertRoundTripped(new OciImage(work.resolve("back"), "v1"), "oci-archive");
    }

    @Test
    void allCopiesEveryPlatformOfAnIndex() throws Exception {
        Path layout = work.resolve("layout");
        OciImage amd64 = uniqueImage("amd64");
        OciImage arm64 = umoci.tag(amd64, "arm64");
        umoci.configure(arm64, ImageConfig.unchanged().withArchitecture("arm64"));
        writeIndex(layout, "multi", amd64, "amd64", arm64, "arm64");

        skopeo.copy(Skopeo.oci(layout, "multi"), registry.dockerTransport("palisade/multi", "v1"),
                SkopeoOption.pushTo(registry), SkopeoOption.all());

        HttpResponse<String> index = manifest("palisade/multi", "v1", OCI_INDEX);
        assertEquals(OCI_INDEX, index.headers().firstValue("Content-Type").orElse(""), index.body());
        assertTrue(index.body().contains("\"architecture\":\"arm64\""), index.body());
        assertTrue(index.body().contains("\"architecture\":\"amd64\""), index.body());
    }

    /** Two layers with content unique to this run, so no registry or cache knows its blobs yet. */
    private OciImage uniqueImage(String label) {
        OciImage image = umoci.newImage(work.resolve("layout"), "amd64".equals(label) ? "amd64" : "v1");
        umoci.insertFile(image, "/etc/palisade/id", (label + " " + UUID.randomUUID() + "\n")
                .getBytes(StandardCharsets.UTF_8), History.createdBy("COPY id /etc/palisade/id"));
        umoci.insertFile(image, "/etc/palisade/label", (label + "\n").getBytes(StandardCharsets.UTF_8),
                History.createdBy("COPY label /etc/palisade/label"));
        return image;
    }

    private void assertRoundTripped(OciImage back, String label) throws Exception {
        Path rootfs = umoci.unpack(back, work.resolve("bundle"));
        assertEquals(label + "\n", Files.readString(rootfs.resolve("etc/palisade/label")));
        assertEquals(2, LayoutFiles.layers(back).size());
    }

    private HttpResponse<String> manifest(String repository, String tag, String accept) throws Exception {
        HttpResponse<String> response = Http.get(registry.newHttpClient(),
                registry.baseUri().resolve("/v2/" + repository + "/manifests/" + tag), null, accept);
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    /** Adds an OCI index over two images to the layout, tagged {@code tag}; umoci cannot make one. */
    private static void writeIndex(Path layout, String tag, OciImage first, String firstArch, OciImage second,
            String secondArch) throws Exception {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + platformEntry(first, firstArch) + "," + platformEntry(second, secondArch) + "]}";
        byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Files.write(LayoutFiles.blobPath(layout, digest), bytes);
        Path indexJson = layout.resolve("index.json");
        String entry = "{\"mediaType\":\"" + OCI_INDEX + "\",\"digest\":\"" + digest + "\",\"size\":" + bytes.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}";
        Files.writeString(indexJson, Files.readString(indexJson).replace("\"manifests\":[", "\"manifests\":["
                + entry + ","));
    }

    private static String platformEntry(OciImage image, String architecture) throws Exception {
        String digest = LayoutFiles.manifestDigest(image);
        long size = Files.size(LayoutFiles.blobPath(image.layout(), digest));
        return "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                + ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}";
    }
}
