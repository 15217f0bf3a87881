package dev.procurator.common.error;

/**
 * The one error body every Procurator API returns: a stable machine code and a sentence for humans.
 *
 * @param error   a snake_case code clients can switch on, e.g. {@code not_found}
 * @param message what went wrong and, where useful, what to do about it
 */
public record ErrorBody(String error, String message) {
}
