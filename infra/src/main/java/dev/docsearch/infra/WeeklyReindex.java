package dev.docsearch.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.Universal;
import software.constructs.Construct;

/**
 * The weekly reindex: an EventBridge Scheduler schedule that sets the builder group's desired capacity to 1.
 * The builder boots, runs one reindex and sets its group back to 0 ({@link HostGroup}).
 *
 * <p>Why this shape: the schedule takes the same {@code cron(...)}/{@code rate(...)} expressions as before (an ASG
 * scheduled action would need a Unix cron and would not take {@code rate}), calls the Auto Scaling API itself (no
 * function to maintain), and its role may only {@code autoscaling:SetDesiredCapacity} on that one group. Setting
 * the capacity to 1 while a build runs changes nothing (the group's maximum is 1), so a weekly run never stacks
 * on a running one; the pipeline's lock on the mount covers anything else (a manual run from a session).
 */
public final class WeeklyReindex extends Construct {

  /**
   * @param builder  the builder group
   * @param schedule EventBridge schedule expression, in UTC
   */
  public record Props(HostGroup builder, String schedule) {
  }

  private final Schedule schedule;
  private final Role role;

  public WeeklyReindex(Construct scope, String id, Props props) {
    super(scope, id);
    String group = props.builder().groupName();
    Stack stack = Stack.of(this);
    // A role of its own (not the shared one the target would make at stack level), trusted by the scheduler only
    // for schedules of this account.
    role = Role.Builder.create(this, "Role")
        .description("Lets the docsearch weekly schedule start the builder (SetDesiredCapacity on its group only)")
        .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of(
            "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()))))
        .build();
    Universal startBuilder = Universal.Builder.create()
        .role(role)
        .service("autoscaling")
        .action("setDesiredCapacity")
        .input(ScheduleTargetInput.fromObject(Map.of("AutoScalingGroupName", group, "DesiredCapacity", 1)))
        .policyStatements(List.of(props.builder().setDesiredCapacity().build()))
        .build();
    schedule = Schedule.Builder.create(this, "Schedule")
        .description("docsearch weekly reindex: start the builder (it scales itself back to 0 when done)")
        .schedule(ScheduleExpression.expression(props.schedule(), TimeZone.ETC_UTC))
        .target(startBuilder)
        .build();
    HostGroup.suppressGroupArnWildcard(role, true);
  }

  public Role role() {
    return role;
  }

  public Schedule schedule() {
    return schedule;
  }
}
