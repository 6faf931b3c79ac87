package dev.docsearch.service.api;

/**
 * Every refusal's JSON: {@code {"error": "...", "field": "..."}}.
 *
 * @param error what is wrong, for a person to read
 * @param field the request field at fault, or null
 */
public record ErrorBody(String error, String field) {
}
