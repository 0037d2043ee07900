import { Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, UrlSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from "cdk-monitoring-constructs";
import { Construct } from "constructs";

/**
 * The thresholds of every alarm, in one place (RUNBOOK.md "Alarms" says what to do for each).
 * A DLQ or failure queue alarms on its first message: each one is a user's notice, reminder or
 * report figure that did not happen.
 */
export const ALARMS = {
  /** Lambda's Errors (unhandled failures, time-outs) per function, summed over 5 minutes. */
  functionErrors: 0,
  /** Lambda's Throttles per function: the account's concurrency is exhausted. */
  functionThrottles: 0,
  /** The stats projector's stream lag: records expire from the stream after 24 hours. */
  iteratorAge: Duration.minutes(10),
  /** API Gateway 5xx share of all requests (the API answers 503, never 500, for AWS trouble). */
  api5xxRate: 0.01,
  /** API p99 latency; handlers time out at 10 s, WeChat's client waits at most 60 s. */
  apiP99Latency: Duration.seconds(3),
  /** Oldest message in a work queue: a notice fan-out or reminder page waiting this long is stuck. */
  backlogAge: Duration.minutes(15),
} as const;

export interface MonitoringProps {
  stage: "dev" | "prod";
  api: HttpApi;
  functions: readonly { name: string; fn: IFunction; stream: boolean }[];
  /** Work queues with their dead-letter queues (fan-out and reminder pages). */
  workQueues: readonly { name: string; queue: IQueue; dlq: IQueue }[];
  /** Queues that are themselves dead-letter destinations with no source queue (schedule, stream). */
  failureQueues: readonly { name: string; queue: IQueue }[];
  /** Alarm subscribers from CDK context: e-mail addresses and https URLs. */
  emails: readonly string[];
  httpsUrls: readonly string[];
}

/**
 * Alarms and one dashboard with cdk-monitoring-constructs (cdklabs), every alarm notifying one SNS
 * topic. The library's metrics and alarms carry no ARNs, so the template stays partition-neutral.
 */
export class JiayiMonitoring extends Construct {
  readonly topic: Topic;
  readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, "AlarmTopic", {
      displayName: `Jiayi ${props.stage} alarms`,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    for (const url of props.httpsUrls) {
      if (!url.startsWith("https://")) throw new Error(`Context alarmHttpsUrls: ${url} is not an https URL`);
      this.topic.addSubscription(new UrlSubscription(url));
    }

    const prefix = `jiayi-${props.stage}`;
    this.facade = new MonitoringFacade(this, "Facade", {
      alarmFactoryDefaults: {
        alarmNamePrefix: prefix,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: this.topic, onOkTopic: this.topic }),
        runbookLink: "RUNBOOK.md#alarms",
      },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(this, "Dashboards", {
        dashboardNamePrefix: prefix,
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });

    this.facade.monitorApiGatewayV2HttpApi({
      api: props.api,
      alarmFriendlyName: "api",
      add5xxRateAlarm: { Critical: { maxErrorRate: ALARMS.api5xxRate } },
      addLatencyP99Alarm: { Critical: { maxLatency: ALARMS.apiP99Latency } },
    });
    for (const { name, fn, stream } of props.functions) {
      this.facade.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: name,
        addFaultCountAlarm: { Critical: { maxErrorCount: ALARMS.functionErrors } },
        addThrottlesCountAlarm: { Critical: { maxErrorCount: ALARMS.functionThrottles } },
        ...(stream
          ? { addMaxIteratorAgeAlarm: { Critical: { maxAgeInMillis: ALARMS.iteratorAge.toMilliseconds() } } }
          : {}),
      });
    }
    for (const { name, queue, dlq } of props.workQueues) {
      this.facade.monitorSqsQueueWithDlq({
        queue,
        deadLetterQueue: dlq,
        alarmFriendlyName: name,
        addQueueMaxMessageAgeAlarm: { Critical: { maxAgeInSeconds: ALARMS.backlogAge.toSeconds() } },
        addDeadLetterQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
      });
    }
    for (const { name, queue } of props.failureQueues) {
      this.facade.monitorSqsQueue({
        queue,
        alarmFriendlyName: name,
        addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
      });
    }
  }
}
