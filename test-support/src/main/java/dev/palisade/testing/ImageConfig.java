package dev.palisade.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to an image's configuration, applied by {@link Umoci#configure}. A {@code null} (or
 * empty) field leaves that part of the config unchanged.
 *
 * <p>umoci semantics: {@code entrypoint} and {@code cmd} replace the old lists; {@code env}
 * entries replace variables of the same name and keep the others; {@code labels} are merged.
 *
 * @param entrypoint the Entrypoint argv
 * @param cmd the Cmd argv
 * @param env {@code NAME=value} entries
 * @param labels label keys and values
 * @param user the User
 * @param workingDir the WorkingDir
 * @param architecture e.g. {@code arm64}, for making per-platform images
 * @param created the image's {@code created} time
 * @param history the history entry for this change
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, Map<String, String> labels,
        String user, String workingDir, String architecture, Instant created, History history) {

    public ImageConfig {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        env = List.copyOf(env == null ? List.of() : env);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        history = history == null ? History.DEFAULT : history;
    }

    /** Changes nothing (yet); start here and add with the {@code with...} methods. */
    public static ImageConfig unchanged() {
        return new ImageConfig(null, null, null, null, null, null, null, null, History.DEFAULT);
    }

    public ImageConfig withEntrypoint(String... argv) {
        return new ImageConfig(List.of(argv), cmd, env, labels, user, workingDir, architecture, created, history);
    }

    public ImageConfig withCmd(String... argv) {
        return new ImageConfig(entrypoint, List.of(argv), env, labels, user, workingDir, architecture, created,
                history);
    }

    public ImageConfig withEnv(String name, String value) {
        List<String> more = new ArrayList<>(env);
        more.add(name + "=" + value);
        return new ImageConfig(entrypoint, cmd, more, labels, user, workingDir, architecture, created, history);
    }

    public ImageConfig withLabel(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        more.put(key, value);
        return new ImageConfig(entrypoint, cmd, env, more, user, workingDir, architecture, created, history);
    }

    public ImageConfig withUser(String newUser) {
        return new ImageConfig(entrypoint, cmd, env, labels, newUser, workingDir, architecture, created, history);
    }

    public ImageConfig withWorkingDir(String directory) {
        return new ImageConfig(entrypoint, cmd, env, labels, user, directory, architecture, created, history);
    }

    public ImageConfig withArchitecture(String newArchitecture) {
        return new ImageConfig(entrypoint, cmd, env, labels, user, workingDir, newArchitecture, created, history);
    }

    public ImageConfig withCreated(Instant time) {
        return new ImageConfig(entrypoint, cmd, env, labels, user, workingDir, architecture, time, history);
    }

    public ImageConfig withHistory(History newHistory) {
        return new ImageConfig(entrypoint, cmd, env, labels, user, workingDir, architecture, created, newHistory);
    }

    List<String> umociArguments() {
        List<String> arguments = new ArrayList<>();
        if (entrypoint != null) {
            if (entrypoint.isEmpty()) {
                arguments.add("--clear=config.entrypoint");
            }
            entrypoint.forEach(value -> arguments.add("--config.entrypoint=" + value));
        }
        if (cmd != null) {
            if (cmd.isEmpty()) {
                arguments.add("--clear=config.cmd");
            }
            cmd.forEach(value -> arguments.add("--config.cmd=" + value));
        }
        env.forEach(value -> arguments.add("--config.env=" + value));
        labels.forEach((key, value) -> arguments.add("--config.label=" + key + "=" + value));
        if (user != null) {
            arguments.add("--config.user=" + user);
        }
        if (workingDir != null) {
            arguments.add("--config.workingdir=" + workingDir);
        }
        if (architecture != null) {
            arguments.add("--architecture=" + architecture);
        }
        if (created != null) {
            arguments.add("--created=" + created);
        }
        arguments.addAll(history.umociArguments());
        return arguments;
    }
}
