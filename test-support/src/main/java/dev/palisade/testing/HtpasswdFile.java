package dev.palisade.testing;

/**
 * Makes htpasswd lines with Apache's own {@code htpasswd} tool.
 *
 * <p>bcrypt because the distribution registry accepts nothing else; cost 4 (the minimum) because
 * the registry checks the hash on every request and cost 10 would add ~50 ms to each. The
 * password goes in on stdin ({@code -i}) so it never shows up in {@code ps} or failure messages.
 */
final class HtpasswdFile {

    private HtpasswdFile() {
    }

    static String entry(BasicAuthCredentials credentials) {
        String line = ProcessRunner.run(Command.of(RequiredBinaries.htpasswd(), "-iBn", "-C", "4",
                credentials.username()).withStdin(credentials.password())).stdout().strip();
        if (!line.startsWith(credentials.username() + ":$2")) {
            throw new IllegalStateException("htpasswd did not print a bcrypt entry for " + credentials.username());
        }
        return line + "\n";
    }
}
