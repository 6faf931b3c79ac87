package dev.docsearch.service.config;

/** A setting that cannot be used, with a message naming the setting, the value given and what is allowed. */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }
}
