package dev.docsearch.pipeline.cli;

import dev.docsearch.core.embed.BundledModel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;

/** {@code --model NAME}: one of the bundled models, named as in releases; lists them as completion candidates. */
final class ModelName implements ITypeConverter<BundledModel>, Iterable<String> {

    @Override
    public BundledModel convert(String value) {
        try {
            return BundledModel.named(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return BundledModel.ALL.stream().map(BundledModel::name).iterator();
    }
}
