package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RequiredBinariesTest {

    @Test
    void missingBinaryFailsNamingThePackageToInstall() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> RequiredBinaries.require("palisade-no-such-tool", "palisade-tools"));

        assertEquals("palisade-no-such-tool is not installed: apt-get install -y palisade-tools"
                + " (package palisade-tools)", failure.getMessage());
    }

    @Test
    void presentBinaryResolvesToAnAbsoluteExecutable() {
        Path sh = RequiredBinaries.require("sh", "dash");

        assertTrue(sh.isAbsolute());
        assertTrue(Files.isExecutable(sh));
    }
}
