package dev.docsearch.pipeline.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** {@code --root}: the artifact root. */
final class RootOption {

    static final String DEFAULT = "./artifacts";

    @Option(names = "--root", paramLabel = "DIR",
            description = "The artifact root (CURRENT, releases/, models/, corpus/, cache/). "
                    + "Default: $DOCSEARCH_ROOT, else $ARTIFACTS_DIR, else " + DEFAULT + ".")
    Path root;

    Path resolve(Map<String, String> env) {
        if (root != null) {
            return root.toAbsolutePath().normalize();
        }
        for (String name : new String[]{"DOCSEARCH_ROOT", "ARTIFACTS_DIR"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return Path.of(v).toAbsolutePath().normalize();
            }
        }
        return Path.of(DEFAULT).toAbsolutePath().normalize();
    }
}
