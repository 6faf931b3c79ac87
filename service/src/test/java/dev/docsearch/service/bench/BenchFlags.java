package dev.docsearch.service.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a bench main: {@code --name value} pairs over defaults, plus value-less switches. An
 * unknown, incomplete or missing required flag prints {@code <program>: <problem>} and the usage line, then
 * exits 2. JDK only, like the benches that use it (they run without Maven's classpath).
 */
final class BenchFlags {

    private final String program;
    private final String usage;
    private final Map<String, String> values;

    private BenchFlags(String program, String usage, Map<String, String> values) {
        this.program = program;
        this.usage = usage;
        this.values = values;
    }

    /**
     * @param required flags that take a value and have no default
     * @param defaults the other flags that take a value, with their defaults
     * @param switches flags without a value; {@link #has} tells whether one was given
     */
    static BenchFlags parse(String program, String usage, String[] args, Set<String> required,
                            Map<String, String> defaults, Set<String> switches) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        BenchFlags flags = new BenchFlags(program, usage, values);
        for (int i = 0; i < args.length; i++) {
            if (switches.contains(args[i])) {
                values.put(args[i], "true");
            } else if ((required.contains(args[i]) || defaults.containsKey(args[i])) && i + 1 < args.length) {
                values.put(args[i], args[++i]);
            } else {
                flags.fail("unknown or incomplete argument " + args[i]);
            }
        }
        for (String name : required) {
            if (!values.containsKey(name)) {
                flags.fail(name + " is required");
            }
        }
        return flags;
    }

    String text(String name) {
        return values.get(name);
    }

    int integer(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            fail(name + " takes a whole number, not '" + values.get(name) + "'");
            throw new AssertionError(e);
        }
    }

    Path path(String name) {
        return Path.of(values.get(name)).toAbsolutePath();
    }

    boolean has(String name) {
        return "true".equals(values.get(name));
    }

    /** The value split at white space: JVM options given as one argument. */
    List<String> words(String name) {
        return Arrays.stream(values.get(name).trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** Prints the problem and the usage line, and exits 2. */
    void fail(String problem) {
        System.err.println(program + ": " + problem);
        System.err.println("usage: " + usage);
        System.exit(2);
    }
}
