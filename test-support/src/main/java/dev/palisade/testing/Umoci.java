package dev.palisade.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds OCI image layouts with the real {@code umoci} binary, so the project's readers are
 * tested against images made by a tool we did not write.
 *
 * <p>Every call that changes an image rewrites the manifest its tag points at and returns the
 * (unchanged) {@link OciImage}; use {@link #tag} to keep an earlier state under another name.
 *
 * <p>Quirks of umoci 0.4.7 (Debian 12) that tests should know about:
 * <ul>
 *   <li>Layer tars have <em>no end-of-archive blocks</em> (two zero records); a layer holding
 *       only a whiteout is exactly one 512-byte header. Strict tar readers (commons-compress,
 *       GNU tar) report a truncated archive. Real images in the wild have the same defect.</li>
 *   <li>Whiteout entries ({@code .wh.NAME}, {@code .wh..wh..opq}) have mode 0000 and mtime
 *       1970-01-01; inserting a directory at {@code /} adds an entry named {@code /}.</li>
 *   <li>Each {@code insert} adds one layer; {@link #editRootfs} adds one layer holding all
 *       changes, including whiteouts for deleted paths.</li>
 *   <li>Times (config {@code created}, history, file mtimes from the source files) come from the
 *       wall clock unless pinned, so two builds of "the same" image differ in every digest. That
 *       is handy: distinct digests keep skopeo's blob cache from reusing blobs between tests.</li>
 *   <li>{@code --image PATH:TAG} cannot express a layout path containing {@code ':'}.</li>
 *   <li>As non-root, {@code unpack} needs {@code --rootless}; this class adds it when the JVM
 *       does not run as uid 0 (as root, rootless mode would lose file ownership).</li>
 * </ul>
 */
public final class Umoci {

    /** mtime given to files staged by {@link #insertFile}, so that content alone decides the layer. */
    public static final Instant STAGED_FILE_TIME = Instant.parse("1970-01-01T00:00:01Z");

    private final Path binary;
    private final boolean rootless;

    private Umoci(Path binary, boolean rootless) {
        this.binary = binary;
        this.rootless = rootless;
    }

    /** @throws IllegalStateException when umoci is not installed, naming the package */
    public static Umoci create() {
        return new Umoci(RequiredBinaries.umoci(), !runningAsRoot());
    }

    /**
     * Creates an empty image (no layers, default amd64/linux config) tagged {@code tag} in
     * {@code layout}, initialising the layout first if it does not hold one yet.
     */
    public OciImage newImage(Path layout, String tag) {
        if (!Files.exists(layout.resolve("oci-layout"))) {
            umoci("init", "--layout", layout.toString());
        }
        OciImage image = new OciImage(layout, tag);
        umoci("new", "--image", image.umociReference());
        return image;
    }

    /** Saves the current state of {@code image} under {@code newTag} as well. */
    public OciImage tag(OciImage image, String newTag) {
        umoci("tag", "--image", image.umociReference(), newTag);
        return image.withTag(newTag);
    }

    /**
     * Adds one layer holding {@code source} (a file or a directory tree) at {@code target}.
     * A directory's contents merge with what lower layers hold there.
     */
    public OciImage insert(OciImage image, Path source, String target, History history) {
        List<String> arguments = insertArguments(image, history);
        arguments.add(source.toString());
        arguments.add(target);
        umoci(arguments);
        return image;
    }

    /**
     * Adds one layer holding a single regular file with {@code content} at {@code target}
     * (mode 0644, owner 0:0, mtime {@link #STAGED_FILE_TIME}).
     */
    public OciImage insertFile(OciImage image, String target, byte[] content, History history) {
        Path staging = FileTrees.createTempDirectory("palisade-umoci-file-");
        try {
            Path file = staging.resolve("content");
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(STAGED_FILE_TIME));
            return insert(image, file, target, history);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            FileTrees.deleteRecursively(staging);
        }
    }

    /** Adds one layer holding only a whiteout ({@code .wh.NAME}) that deletes {@code target}. */
    public OciImage insertWhiteout(OciImage image, String target, History history) {
        List<String> arguments = insertArguments(image, history);
        arguments.add("--whiteout");
        arguments.add(target);
        umoci(arguments);
        return image;
    }

    /**
     * Adds one layer that replaces directory {@code target} wholesale: an opaque whiteout
     * ({@code .wh..wh..opq}) hides everything lower layers put there, then {@code sourceDir}'s
     * contents are added.
     */
    public OciImage insertOpaque(OciImage image, Path sourceDir, String target, History history) {
        List<String> arguments = insertArguments(image, history);
        arguments.add("--opaque");
        arguments.add(sourceDir.toString());
        arguments.add(target);
        umoci(arguments);
        return image;
    }

    /**
     * Unpacks {@code image} into a temporary bundle, lets {@code editor} change the root
     * filesystem (create, modify, delete files), and repacks the difference as one new layer:
     * deleted paths become whiteouts in that layer. The bundle is deleted afterwards.
     */
    public OciImage editRootfs(OciImage image, RootfsEditor editor, History history) {
        Path staging = FileTrees.createTempDirectory("palisade-umoci-bundle-");
        try {
            Path bundle = staging.resolve("bundle");
            editor.edit(unpack(image, bundle));
            List<String> repack = new ArrayList<>(List.of("repack", "--image", image.umociReference()));
            repack.addAll(history.umociArguments());
            repack.add(bundle.toString());
            umoci(repack);
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("editing the rootfs of " + image + " failed", e);
        } finally {
            FileTrees.deleteRecursively(staging);
        }
    }

    /**
     * Unpacks {@code image} into {@code bundle} (which must not exist yet) and returns its
     * {@code rootfs}: the image as a container would see it, all layers and whiteouts applied by
     * umoci. A reference result to compare the project's own layer flattening against.
     */
    public Path unpack(OciImage image, Path bundle) {
        List<String> arguments = new ArrayList<>(List.of("unpack"));
        if (rootless) {
            arguments.add("--rootless");
        }
        arguments.addAll(List.of("--image", image.umociReference(), bundle.toString()));
        umoci(arguments);
        return bundle.resolve("rootfs");
    }

    /** Applies {@code config} to the image's configuration (adds no layer). */
    public OciImage configure(OciImage image, ImageConfig config) {
        List<String> arguments = new ArrayList<>(List.of("config", "--image", image.umociReference()));
        arguments.addAll(config.umociArguments());
        umoci(arguments);
        return image;
    }

    /** {@code umoci stat --json}: the image's history with each layer's descriptor and diff_id. */
    public String statJson(OciImage image) {
        return umoci("stat", "--image", image.umociReference(), "--json").stdout();
    }

    /** The tags in {@code layout}. */
    public List<String> tags(Path layout) {
        return umoci("ls", "--layout", layout.toString()).stdout().lines().filter(line -> !line.isBlank()).toList();
    }

    /** Changes a bundle's root filesystem; see {@link #editRootfs}. */
    @FunctionalInterface
    public interface RootfsEditor {
        void edit(Path rootfs) throws IOException;
    }

    private static List<String> insertArguments(OciImage image, History history) {
        List<String> arguments = new ArrayList<>(List.of("insert", "--image", image.umociReference()));
        arguments.addAll(history.umociArguments());
        return arguments;
    }

    private ProcessResult umoci(String... arguments) {
        return umoci(Arrays.asList(arguments));
    }

    private ProcessResult umoci(List<String> arguments) {
        return ProcessRunner.run(Command.of(binary, arguments));
    }

    /** True when files this JVM creates belong to uid 0. */
    private static boolean runningAsRoot() {
        Path probe = FileTrees.createTempDirectory("palisade-uid-");
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            FileTrees.deleteRecursively(probe);
        }
    }
}
