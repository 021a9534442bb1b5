/**
 * The console's service shortcuts (`stc console prod s3`): plain data, which help and completion list without
 * loading the URL code.
 *
 * @example
 * ```ts
 * import { SERVICE_NAMES, SERVICE_PAGES } from "./services.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(SERVICE_NAMES.includes("s3"));
 * assert.equal(SERVICE_PAGES.billing.global, true);
 * ```
 *
 * @module
 */

/** A console page a shortcut opens. */
export interface ServicePage {
  /** Path below the console host, without a leading slash. */
  path: string;
  /** A fragment (single-page-app route) after `#`. */
  fragment?: string;
  /** Global services take no region. */
  global?: boolean;
}

/** Service shortcuts: `stc console prod s3`. */
export const SERVICE_PAGES: Readonly<Record<string, ServicePage>> = {
  acm: { path: "acm/home" },
  apigateway: { path: "apigateway/main/apis" },
  athena: { path: "athena/home" },
  billing: { path: "billing/home", global: true },
  cloudformation: { path: "cloudformation/home" },
  cloudfront: { path: "cloudfront/v4/home", global: true },
  cloudtrail: { path: "cloudtrail/home" },
  cloudwatch: { path: "cloudwatch/home" },
  codebuild: { path: "codesuite/codebuild/home" },
  codepipeline: { path: "codesuite/codepipeline/home" },
  config: { path: "config/home" },
  cost: { path: "cost-management/home", global: true },
  dynamodb: { path: "dynamodbv2/home" },
  ec2: { path: "ec2/home" },
  ecr: { path: "ecr/home" },
  ecs: { path: "ecs/v2/home" },
  eks: { path: "eks/home" },
  elasticbeanstalk: { path: "elasticbeanstalk/home" },
  glue: { path: "glue/home" },
  guardduty: { path: "guardduty/home" },
  iam: { path: "iam/home", global: true },
  kinesis: { path: "kinesis/home" },
  kms: { path: "kms/home" },
  lambda: { path: "lambda/home" },
  logs: { path: "cloudwatch/home", fragment: "logsV2:log-groups" },
  organizations: { path: "organizations/v2/home", global: true },
  rds: { path: "rds/home" },
  redshift: { path: "redshiftv2/home" },
  route53: { path: "route53/v2/home", global: true },
  s3: { path: "s3/home" },
  sagemaker: { path: "sagemaker/home" },
  secretsmanager: { path: "secretsmanager/home" },
  securityhub: { path: "securityhub/home" },
  sns: { path: "sns/v3/home" },
  sqs: { path: "sqs/v3/home" },
  ssm: { path: "systems-manager/home" },
  stepfunctions: { path: "states/home" },
  support: { path: "support/home", global: true },
  vpc: { path: "vpc/home" },
  waf: { path: "wafv2/homev2" },
};

/** Short names for shortcuts. */
export const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  cfn: "cloudformation",
  cw: "cloudwatch",
  ddb: "dynamodb",
  r53: "route53",
  sfn: "stepfunctions",
  sm: "secretsmanager",
};

/** Every name `stc console <alias> <service>` accepts, sorted (for help and completions). */
export const SERVICE_NAMES: readonly string[] = [
  ...Object.keys(SERVICE_PAGES),
  ...Object.keys(SERVICE_ALIASES),
].sort();
