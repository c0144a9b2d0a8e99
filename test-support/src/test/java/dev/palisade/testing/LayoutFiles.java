package dev.palisade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads the blobs of an OCI layout written by umoci, just enough for assertions. (Test-only and
 * regex-based on purpose: test-support stays free of JSON libraries; umoci's field order is fixed.)
 */
final class LayoutFiles {

    private static final Pattern DIGEST = Pattern.compile("\"digest\":\"sha256:([0-9a-f]{64})\"");

    private LayoutFiles() {
    }

    static String manifestDigest(OciImage image) throws IOException {
        String index = Files.readString(image.layout().resolve("index.json"));
        Matcher entry = Pattern.compile("\"digest\":\"(sha256:[0-9a-f]{64})\",\"size\":\\d+,\"annotations\":\\{"
                + "\"org.opencontainers.image.ref.name\":\"" + Pattern.quote(image.tag()) + "\"").matcher(index);
        if (!entry.find()) {
            throw new AssertionError("no manifest tagged " + image.tag() + " in " + index);
        }
        return entry.group(1);
    }

    static String blob(Path layout, String digest) throws IOException {
        return Files.readString(blobPath(layout, digest));
    }

    static Path blobPath(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    static String manifest(OciImage image) throws IOException {
        return blob(image.layout(), manifestDigest(image));
    }

    /** The config blob: umoci writes {@code config} before {@code layers} in the manifest. */
    static String config(OciImage image) throws IOException {
        return blob(image.layout(), "sha256:" + digests(manifest(image)).get(0));
    }

    static List<Path> layers(OciImage image) throws IOException {
        List<String> digests = digests(manifest(image));
        List<Path> layers = new ArrayList<>();
        for (String hex : digests.subList(1, digests.size())) {
            layers.add(blobPath(image.layout(), "sha256:" + hex));
        }
        return layers;
    }

    static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** Entry names of a tar, read header by header (tolerates missing end-of-archive blocks). */
    static List<String> tarEntryNames(byte[] tar) {
        List<String> names = new ArrayList<>();
        for (int offset = 0; offset + 512 <= tar.length; ) {
            if (tar[offset] == 0) {
                break;
            }
            int nameEnd = offset;
            while (nameEnd < offset + 100 && tar[nameEnd] != 0) {
                nameEnd++;
            }
            names.add(new String(tar, offset, nameEnd - offset, java.nio.charset.StandardCharsets.UTF_8));
            String sizeField = new String(tar, offset + 124, 12, java.nio.charset.StandardCharsets.US_ASCII)
                    .replace("\0", "").trim();
            long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
            offset += 512 + (int) ((size + 511) / 512 * 512);
        }
        return names;
    }

    private static List<String> digests(String json) {
        List<String> found = new ArrayList<>();
        Matcher matcher = DIGEST.matcher(json);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
