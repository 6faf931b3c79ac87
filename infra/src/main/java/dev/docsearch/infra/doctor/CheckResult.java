package dev.docsearch.infra.doctor;

import java.util.Objects;

/**
 * The outcome of one doctor check.
 *
 * @param check  what was checked, e.g. "bucket versioning"
 * @param passed whether it is as docsearch needs it
 * @param detail what was found
 * @param fix    one line that repairs it (empty when passed)
 */
public record CheckResult(String check, boolean passed, String detail, String fix) {

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fix, "fix");
  }

  public static CheckResult pass(String check, String detail) {
    return new CheckResult(check, true, detail, "");
  }

  public static CheckResult fail(String check, String detail, String fix) {
    return new CheckResult(check, false, detail, fix);
  }
}
