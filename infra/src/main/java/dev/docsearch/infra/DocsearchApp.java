package dev.docsearch.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk.json} runs this class from a prebuilt classpath ({@code infra/target/cdk-classpath.txt}).
 *
 * <p>Settings come from CDK context (see {@link DeploymentSettings#fromContext}); the stack name from context
 * {@code stackName} (default {@value #DEFAULT_STACK_NAME}). cdk-nag's AWS Solutions checks run on every synth, so
 * an unsuppressed finding fails it.
 */
public final class DocsearchApp {

  public static final String DEFAULT_STACK_NAME = "Docsearch";

  private DocsearchApp() {
  }

  public static void main(String[] args) {
    App app = new App();
    DeploymentSettings settings = DeploymentSettings.fromContext(key -> app.getNode().tryGetContext(key));
    Object name = app.getNode().tryGetContext("stackName");
    new DocsearchStack(app, name == null ? DEFAULT_STACK_NAME : name.toString(), StackProps.builder()
        .description("docsearch: hybrid search over AWS documentation, served from an S3 Files mount")
        .build(), settings);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    app.synth();
  }
}
