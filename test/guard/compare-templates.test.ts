/**
 * The release guard's judgement on small hand-made templates: which changes
 * lose a stateful resource's data (CloudFormation's spec decides replacement,
 * through @aws-cdk/cloudformation-diff), what it says, and what it lets pass.
 */
import { compareTemplates, type CfnResource, type CfnTemplate } from '../../scripts/guard/compare-templates';
import { formatReport } from '../../scripts/guard/format-report';
import { maskAssetHashes } from '../../scripts/guard/mask-asset-hashes';

const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } as const;
const userPool: CfnResource = { Type: 'AWS::Cognito::UserPool', Properties: { UsernameAttributes: ['email'], UserPoolName: 'users' }, ...RETAIN };
const identityPool: CfnResource = { Type: 'AWS::Cognito::IdentityPool', Properties: { AllowUnauthenticatedIdentities: false }, ...RETAIN };
const table: CfnResource = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  },
  ...RETAIN,
};
const bucket: CfnResource = { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } }, ...RETAIN };
const throwawayBucket: CfnResource = { Type: 'AWS::S3::Bucket', Properties: {}, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };
const retainedLogs: CfnResource = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'audit', RetentionInDays: 365 }, ...RETAIN };
const role = (resource: string): CfnResource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{ PolicyName: 'files', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }] } }],
  },
});
const fn = (key: string): CfnResource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Code: { S3Bucket: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', S3Key: key }, Handler: 'index.handler', Runtime: 'nodejs22.x' },
});

const RELEASED: CfnTemplate = {
  Resources: {
    UserPool: userPool,
    IdentityPool: identityPool,
    ItemsTable: table,
    UserFiles: bucket,
    ScratchFiles: throwawayBucket,
    AuditLogs: retainedLogs,
    ReaderRole: role('arn:aws:s3:::files/${aws:userid}/*'),
    Handler: fn(`${'a'.repeat(64)}.zip`),
  },
};

/** The released template with `edit` applied to a deep copy of its resources. */
function changed(edit: (resources: Record<string, CfnResource>) => void): CfnTemplate {
  const copy = structuredClone(RELEASED) as { Resources: Record<string, CfnResource> };
  edit(copy.Resources);
  return copy;
}

const withProperty = (resource: CfnResource, key: string, value: unknown): CfnResource => ({
  ...resource,
  Properties: { ...resource.Properties, [key]: value },
});

describe('compareTemplates', () => {
  test('GIVEN the released template unchanged WHEN compared THEN it passes with nothing to report', () => {
    const report = compareTemplates(RELEASED, structuredClone(RELEASED));

    expect(report).toEqual({ losses: [], acknowledged: [], staleAcknowledgements: [], broadenedPermissions: [], passed: true });
  });

  test('GIVEN the items table keyed by another attribute WHEN compared THEN it fails: the table is replaced by KeySchema and every item is lost', () => {
    const next = changed((r) => {
      r.ItemsTable = withProperty(r.ItemsTable, 'KeySchema', [{ AttributeName: 'id', KeyType: 'HASH' }]);
    });

    const report = compareTemplates(RELEASED, next);

    expect(report.passed).toBe(false);
    expect(report.losses).toEqual([
      expect.objectContaining({
        logicalId: 'ItemsTable',
        noun: 'table',
        impact: 'replaced',
        causes: [expect.stringMatching(/^KeySchema: .*"pk".* → .*"id"/)],
        consequence: expect.stringContaining('every item'),
      }),
    ]);
  });

  test('GIVEN a throwaway bucket (DeletionPolicy Delete) dropped from the template WHEN compared THEN it fails: the bucket is removed with every object', () => {
    const next = changed((r) => {
      delete r.ScratchFiles;
    });

    const [loss] = compareTemplates(RELEASED, next).losses;

    expect(loss).toEqual(
      expect.objectContaining({ logicalId: 'ScratchFiles', noun: 'bucket', impact: 'removed', consequence: expect.stringMatching(/deleted.*every object/) }),
    );
  });

  test('GIVEN a retained bucket dropped from the template WHEN compared THEN it fails: the bucket is orphaned and the app no longer reaches its objects', () => {
    const next = changed((r) => {
      delete r.UserFiles;
    });

    const [loss] = compareTemplates(RELEASED, next).losses;

    expect(loss).toEqual(
      expect.objectContaining({ logicalId: 'UserFiles', impact: 'orphaned', consequence: expect.stringMatching(/outside the stack.*every object/) }),
    );
  });

  test('GIVEN the user pool under a new logical ID (a moved construct) WHEN compared THEN it fails: the old pool is orphaned and the new one named as an empty pool', () => {
    const next = changed((r) => {
      r.UserDirectoryUserPool = r.UserPool;
      delete r.UserPool;
    });

    const report = compareTemplates(RELEASED, next);

    expect(report.losses).toEqual([
      expect.objectContaining({
        logicalId: 'UserPool',
        noun: 'user pool',
        impact: 'orphaned',
        addedSameType: ['UserDirectoryUserPool'],
        consequence: expect.stringContaining('every user and password'),
      }),
    ]);
  });

  test("GIVEN the identity pool under a new logical ID WHEN compared THEN it fails and says users' prefixes and items become unreachable", () => {
    const next = changed((r) => {
      r.FederatedIdentitiesIdentityPool = r.IdentityPool;
      delete r.IdentityPool;
    });

    const [loss] = compareTemplates(RELEASED, next).losses;

    expect(loss).toEqual(
      expect.objectContaining({
        logicalId: 'IdentityPool',
        consequence: expect.stringContaining("all identity IDs: users' S3 prefixes and items become unreachable"),
      }),
    );
  });

  test('GIVEN a retained log group renamed (LogGroupName is create-only) WHEN compared THEN it fails naming the property', () => {
    const next = changed((r) => {
      r.AuditLogs = withProperty(r.AuditLogs, 'LogGroupName', 'audit-v2');
    });

    const [loss] = compareTemplates(RELEASED, next).losses;

    expect(loss).toEqual(
      expect.objectContaining({ logicalId: 'AuditLogs', noun: 'retained log group', impact: 'replaced', causes: ['LogGroupName: "audit" → "audit-v2"'] }),
    );
  });

  test('GIVEN a log group that is not retained renamed WHEN compared THEN it passes (its logs are not data the stage keeps)', () => {
    const released = changed((r) => {
      r.AuditLogs = { ...r.AuditLogs, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };
    });
    const next = structuredClone(released) as { Resources: Record<string, CfnResource> };
    next.Resources.AuditLogs = withProperty(next.Resources.AuditLogs, 'LogGroupName', 'audit-v2');

    expect(compareTemplates(released, next).passed).toBe(true);
  });

  test("GIVEN the user pool's UsernameAttributes changed WHEN compared THEN the guard follows the CloudFormation spec, which updates a user pool in place (Cognito refuses the update at deploy; nothing is replaced)", () => {
    const next = changed((r) => {
      r.UserPool = withProperty(r.UserPool, 'UsernameAttributes', ['phone_number']);
    });

    expect(compareTemplates(RELEASED, next).losses).toEqual([]);
  });

  test('GIVEN a role that may read more WHEN compared THEN the broadened statement is reported and the guard still passes', () => {
    const next = changed((r) => {
      r.ReaderRole = role('arn:aws:s3:::files/*');
    });

    const report = compareTemplates(RELEASED, next);

    expect(report.passed).toBe(true);
    expect(report.broadenedPermissions).toEqual([expect.stringMatching(/^\+ Allow s3:GetObject on arn:aws:s3:::files\/\* to /)]);
  });

  test('GIVEN the table replacement acknowledged in the stage file WHEN compared THEN it passes, listing the loss as acknowledged with its reason', () => {
    const next = changed((r) => {
      r.ItemsTable = withProperty(r.ItemsTable, 'KeySchema', [{ AttributeName: 'id', KeyType: 'HASH' }]);
    });
    const reason = 'Items are re-imported from the nightly export after the new key ships.';

    const report = compareTemplates(RELEASED, next, [{ replacement: 'ItemsTable', reason }]);

    expect(report.passed).toBe(true);
    expect(report.losses).toEqual([]);
    expect(report.acknowledged).toEqual([expect.objectContaining({ logicalId: 'ItemsTable', impact: 'replaced', reason })]);
  });

  test('GIVEN an acknowledged logical ID that this change does not replace WHEN compared THEN it passes with the acknowledgement named as stale', () => {
    const report = compareTemplates(RELEASED, structuredClone(RELEASED), [{ replacement: 'ItemsTable', reason: 'Left over from the last key change.' }]);

    expect(report.passed).toBe(true);
    expect(report.staleAcknowledgements).toEqual(['ItemsTable']);
    expect(formatReport(report, 'config/prod.json')).toContain(
      'WARN config/prod.json: acknowledgement of replacement "ItemsTable" matches nothing this release replaces, removes or orphans; remove it.',
    );
  });

  test("GIVEN only a handler's asset hash changed WHEN both sides are masked and compared THEN nothing at all is reported", () => {
    const next = changed((r) => {
      r.Handler = fn(`${'b'.repeat(64)}.zip`);
    });

    const report = compareTemplates(maskAssetHashes(RELEASED), maskAssetHashes(next));

    expect(report).toEqual({ losses: [], acknowledged: [], staleAcknowledgements: [], broadenedPermissions: [], passed: true });
  });

  test('GIVEN a loss WHEN formatted THEN one FAIL line names the resource, its type, the cause and what is lost, and the last line says how to acknowledge', () => {
    const next = changed((r) => {
      r.ItemsTable = withProperty(r.ItemsTable, 'KeySchema', [{ AttributeName: 'id', KeyType: 'HASH' }]);
    });

    const lines = formatReport(compareTemplates(RELEASED, next), 'config/prod.json');

    expect(lines).toEqual([
      'FAIL ItemsTable (table, AWS::DynamoDB::Table) would be REPLACED by KeySchema: [{"AttributeName":"pk","KeyType":"HASH"}] → [{"AttributeName":"id","KeyType":"HASH"}]: a new, empty one takes its place and the old one is kept outside the stack (UpdateReplacePolicy Retain); the app loses every item.',
      'Result: 1 stateful resource would lose data. If that is intended, add { "replacement": "<LogicalId>", "reason": "…" } to acknowledgements in config/prod.json.',
    ]);
  });
});
