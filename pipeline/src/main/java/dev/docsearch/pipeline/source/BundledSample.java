package dev.docsearch.pipeline.source;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Optional;

/**
 * The sample of the AWS docs bundled with the repository ({@code samples/awsdocs}: about 250 markdown pages
 * of the eleven guides, with their licences): the corpus of the source spec {@value #SPEC}, which indexes
 * with no network at all. It is found through {@value #ENVIRONMENT_VARIABLE} when that is set, else by
 * walking up from where this class was loaded (the repository's {@code pipeline/target}) to the folder that
 * holds {@code samples/awsdocs/SOURCES}.
 */
public final class BundledSample {

    /** The source spec that names the sample. */
    public static final String SPEC = "sample";
    /** Overrides where the sample is (a folder laid out like {@code samples/awsdocs}). */
    public static final String ENVIRONMENT_VARIABLE = "DOCSEARCH_SAMPLE_DIR";

    private static final Path RELATIVE = Path.of("samples", "awsdocs");

    private BundledSample() {
    }

    /**
     * The sample's folder.
     *
     * @throws SourceException when the variable names no folder, or no sample is found beside this code
     */
    public static Path folder(Map<String, String> env) throws SourceException {
        String configured = env.get(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new SourceException(ENVIRONMENT_VARIABLE + "=" + configured + " is not a folder");
            }
            return dir;
        }
        return besideCode().orElseThrow(() -> new SourceException("the bundled sample (" + RELATIVE
                + ") is not beside this program; set " + ENVIRONMENT_VARIABLE + " to its folder"));
    }

    private static Optional<Path> besideCode() {
        CodeSource code = BundledSample.class.getProtectionDomain().getCodeSource();
        if (code == null) {
            return Optional.empty();
        }
        try {
            for (Path dir = Path.of(code.getLocation().toURI()).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(RELATIVE);
                if (Files.isRegularFile(candidate.resolve("SOURCES"))) {
                    return Optional.of(candidate);
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // A code source that is no file (a remote or nested jar): there is nothing to walk up from.
        }
        return Optional.empty();
    }
}
