package dev.docsearch.infra.doctor;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@code doctor --stack <name>}: checks a deployed docsearch stack for the known S3 Files failure modes and for
 * how its serving group, builder and weekly schedule run, and prints one line per check, with a one-line fix under
 * each failure.
 *
 * <p>Exit status: 0 every check passed, 1 at least one failed, 2 usage error, 3 the stack could not be read (not
 * found, no credentials, no region). Uses the default AWS credentials and region (environment, profile, SSO).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Checks a deployed docsearch stack (S3 Files, the serving and builder groups, the load balancer's "
        + "targets, the weekly reindex schedule) and says how to fix what is wrong. Read-only.")
public final class DoctorCommand implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_CHECK_FAILED = 1;
  public static final int EXIT_STACK_UNREADABLE = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--stack", required = true, description = "CloudFormation stack name (default app: Docsearch)")
  String stackName;

  @Option(names = "--region", description = "AWS region of the stack (default: AWS_REGION or the profile's)")
  String region;

  @Option(names = "--endpoint", hidden = true, paramLabel = "SERVICE=URI",
      description = "Send a service's calls (cloudformation, s3, iam, ec2, autoscaling, elasticloadbalancing, "
          + "scheduler, ssm, s3files) to URI; tests point all of them at a loopback fake of AWS")
  Map<String, URI> endpoints;

  /** Where the region comes from without --region; a test replaces it to be independent of the machine's. */
  Supplier<Region> defaultRegion = () -> DefaultAwsRegionProviderChain.builder().build().getRegion();

  public static void main(String[] args) {
    System.exit(new CommandLine(new DoctorCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Region resolved;
    try {
      resolved = region != null ? Region.of(region) : defaultRegion.get();
    } catch (SdkException e) {
      err.println("doctor: no AWS region: pass --region or set AWS_REGION (" + e.getMessage() + ")");
      return EXIT_STACK_UNREADABLE;
    }
    try (AwsClients aws = AwsClients.create(resolved, DefaultCredentialsProvider.builder().build(),
        endpoints == null ? null : service -> Objects.requireNonNull(endpoints.get(service),
            "--endpoint given for some services but not for " + service))) {
      StackResources stack;
      try {
        stack = StackResources.read(aws.cloudFormation(), stackName);
      } catch (SdkException | IllegalStateException e) {
        err.println("doctor: cannot read stack " + stackName + " in " + resolved + ": " + e.getMessage());
        return EXIT_STACK_UNREADABLE;
      }
      StackDoctor doctor = new StackDoctor(aws);
      out.println("doctor: stack " + stack.stackName() + " (" + stack.region() + "), file system "
          + stack.fileSystemId() + ", serving group " + stack.servingGroup() + " (" + doctor.servingHealth(stack)
          + "), builder group " + stack.builderGroup());
      List<CheckResult> results = doctor.examine(stack);
      for (CheckResult r : results) {
        out.println((r.passed() ? "  ok    " : "  FAIL  ") + r.check() + ": " + r.detail());
        if (!r.passed()) {
          out.println("        fix: " + r.fix());
        }
      }
      long failed = results.stream().filter(r -> !r.passed()).count();
      out.println(failed == 0 ? "doctor: all " + results.size() + " checks passed"
          : "doctor: " + failed + " of " + results.size() + " checks failed");
      out.flush();
      return failed == 0 ? EXIT_OK : EXIT_CHECK_FAILED;
    }
  }
}
