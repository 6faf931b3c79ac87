package dev.docsearch.core.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exact identifiers in a query, as people paste them from consoles, logs and code: error and API names
 * ({@code ProvisionedThroughputExceededException}, {@code PutObject}), IAM actions ({@code s3:PutObject}),
 * instance types and other dotted names with a digit ({@code t3.medium}), CLI flags ({@code --cli-input-json}),
 * environment and config keys ({@code AWS_REGION}, {@code errorCode}), JSON selectors ({@code $.errorCode}),
 * ARNs, quoted phrases, and kebab-case names of three parts or more ({@code put-public-access-block},
 * {@code x-amz-server-side-encryption}). Plain words are not identifiers, nor is a capitalised word alone ({@code Lambda}),
 * nor a product name that happens to be written in camel case ({@code DynamoDB}, {@code CloudWatch}): those
 * are in thousands of pages and say nothing exact.
 */
public final class QueryIdentifiers {

    private static final Pattern IDENTIFIER = Pattern.compile(String.join("|",
            "\"([^\"]{2,100})\"",                                   // a quoted phrase
            "(arn:aws[a-z-]*:[^\\s\"]+)",                           // an ARN
            "(\\$\\.[A-Za-z0-9_.\\[\\]*]+)",                        // a JSON selector in a filter pattern
            "(?<![\\w-])(--[a-z][a-z0-9]*(?:-[a-z0-9]+)*)",          // a CLI flag
            "\\b([a-z][a-z0-9-]*:[A-Za-z*][A-Za-z0-9*]*)\\b",       // an IAM action: service:Action
            "\\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\\b",            // UpperCamelCase with two or more humps
            "\\b([a-z]+[0-9]*(?:[A-Z][a-z0-9]+)+)\\b",              // lowerCamelCase
            "\\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)\\b",       // snake_case and UPPER_SNAKE
            "\\b([a-z][a-z0-9-]*[0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\\b", // t3.medium, mac1.metal
            "\\b([a-z][a-z0-9]*(?:-[a-z0-9]+){2,})\\b"));          // CLI commands, headers: put-public-access-block

    /** Hyphenated words of ordinary prose, which the kebab-case pattern would otherwise take for commands. */
    private static final Set<String> PROSE = Set.of("up-to-date", "out-of-date", "step-by-step", "end-to-end",
            "out-of-the-box", "day-to-day", "one-to-one", "one-to-many", "many-to-many", "many-to-one", "peer-to-peer",
            "point-to-point", "state-of-the-art", "all-in-one", "do-it-yourself", "pay-as-you-go", "first-in-first-out",
            "read-after-write", "easy-to-use", "ready-to-use", "side-by-side", "at-a-glance", "up-to-the-minute",
            "once-a-day", "once-a-week");

    /** Camel-case names of products and technologies: words of the docs' prose, not identifiers. */
    private static final Set<String> NAMES = Set.of("cloudwatch", "cloudformation", "cloudtrail", "cloudfront",
            "cloudshell", "cloudhsm", "cloud9", "dynamodb", "documentdb", "eventbridge", "javascript", "typescript",
            "powershell", "github", "gitlab", "sagemaker", "opensearch", "elasticache", "elasticsearch", "mysql",
            "postgresql", "mariadb", "mongodb", "nosql", "graphql", "websocket", "websockets", "devops", "appsync",
            "appconfig", "apprunner", "codebuild", "codepipeline", "codedeploy", "codecommit", "codeartifact",
            "codestar", "codeguru", "codewhisperer", "datasync", "quicksight", "guardduty", "lightsail", "workspaces",
            "keyspaces", "macos", "nodejs", "wordpress", "openssl", "openssh", "openapi", "openid", "iot", "greengrass",
            "firehose", "redshift", "aurora", "fargate", "gamelift", "chatbot", "cognito", "athena", "glue",
            "outposts", "wavelength", "localzones", "directconnect", "transitgateway", "privatelink", "youtube",
            "linkedin", "ubuntu", "centos", "redhat", "suse", "freebsd", "openjdk", "corretto", "dotnet", "aspnet",
            "amazonlinux", "ipaddress", "ssl", "tls", "json", "yaml", "xml", "html", "csv", "ebs", "efs", "fsx");

    private QueryIdentifiers() {
    }

    /** The identifiers in {@code query}, in order, each once. */
    public static List<String> of(String query) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(query);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    String id = m.group(g).strip();
                    String lower = id.toLowerCase(Locale.ROOT);
                    if (!NAMES.contains(lower) && !PROSE.contains(lower)) {
                        found.add(id);
                    }
                    break;
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** Whether {@code text} holds every identifier, letter case aside. */
    public static boolean allIn(List<String> identifiers, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String id : identifiers) {
            if (!lower.contains(id.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
