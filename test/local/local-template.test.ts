/**
 * LocalTemplate resolves CloudFormation intrinsics to local physical values,
 * deterministically, and refuses what it cannot resolve faithfully.
 */
import { CfnLocalTemplate, TemplateResolutionError } from '../../scripts/local/template/local-template';

const template = () =>
  new CfnLocalTemplate({
    stackName: 'Demo-dev',
    region: 'eu-west-1',
    assemblyDir: '/nonexistent',
    template: {
      Parameters: {
        BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
        Suffix: { Type: 'String', Default: 'x' },
      },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Suffix' }, 'prod'] }, NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
      Mappings: { Sizes: { 'eu-west-1': { Small: 1 } } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket' },
        Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'named-${Suffix}-${AWS::Region}' } } },
        Table: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
        Role: { Type: 'AWS::IAM::Role', Properties: {} },
        Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
        Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: {} },
        Identities: { Type: 'AWS::Cognito::IdentityPool', Properties: {} },
        Odd: { Type: 'AWS::Some::Thing', Properties: {} },
      },
    },
  });

describe('LocalTemplate', () => {
  it('GIVEN pseudo parameters THEN the local region, account 000000000000, aws partition', () => {
    const t = template();
    expect(
      t.resolve({
        'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::StackName' }, { Ref: 'AWS::URLSuffix' }]],
      }),
    ).toBe('aws:eu-west-1:000000000000:Demo-dev:amazonaws.com');
  });

  it('GIVEN Ref and Fn::GetAtt THEN physical IDs and ARNs in the shapes of the real services, the same on every load', () => {
    const a = template();
    const b = template();
    const bucket = a.resolve<string>({ Ref: 'Bucket' });
    expect(bucket).toMatch(/^demo-dev-bucket-[a-z0-9]{12}$/);
    expect(b.resolve({ Ref: 'Bucket' })).toBe(bucket);
    expect(a.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe(`arn:aws:s3:::${bucket}`);
    expect(a.resolve({ Ref: 'Named' })).toBe('named-x-eu-west-1');
    expect(a.resolve({ 'Fn::GetAtt': ['Table', 'Arn'] })).toMatch(/^arn:aws:dynamodb:eu-west-1:000000000000:table\/Demo-dev-Table-[A-Z0-9]{12}$/);
    expect(a.resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toMatch(/^arn:aws:iam::000000000000:role\/Demo-dev-Role-[A-Z0-9]{12}$/);
    expect(a.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toMatch(/^arn:aws:lambda:eu-west-1:000000000000:function:Demo-dev-Fn-/);
    expect(a.resolve({ Ref: 'Queue' })).toMatch(/^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/000000000000\/Demo-dev-Queue-/);
    expect(a.resolve({ Ref: 'Pool' })).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(a.resolve({ 'Fn::GetAtt': ['Pool', 'ProviderName'] })).toBe(`cognito-idp.eu-west-1.amazonaws.com/${a.resolve({ Ref: 'Pool' })}`);
    expect(a.resolve({ Ref: 'Client' })).toMatch(/^[a-z0-9]{26}$/);
    expect(a.resolve({ Ref: 'Identities' })).toMatch(/^eu-west-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('GIVEN Fn::Sub, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap and AWS::NoValue THEN resolved as CloudFormation does', () => {
    const t = template();
    expect(t.resolve({ 'Fn::Sub': ['${Bucket.Arn}/${Key}/${!Literal}', { Key: { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] } }] })).toBe(
      `${t.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })}/b/\${Literal}`,
    );
    expect(t.resolve({ 'Fn::If': ['IsProd', 'big', 'small'] })).toBe('small');
    expect(t.condition('NotProd')).toBe(true);
    expect(t.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Small'] })).toBe(1);
    expect(t.resolve({ A: 1, B: { Ref: 'AWS::NoValue' }, C: [1, { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] }] })).toEqual({ A: 1, C: [1] });
  });

  it('GIVEN what has no local value THEN a clear error naming it, never a guess', () => {
    const t = template();
    expect(() => t.resolve({ Ref: 'BootstrapVersion' })).toThrow(/Ref BootstrapVersion: an SSM-typed parameter/);
    expect(() => t.resolve({ Ref: 'Nothing' })).toThrow(/Ref Nothing: no such resource or parameter/);
    expect(() => t.resolve({ 'Fn::GetAtt': ['Odd', 'Endpoint'] })).toThrow(
      /Fn::GetAtt Odd\.Endpoint: the local run has no value for attribute Endpoint of AWS::Some::Thing/,
    );
    expect(() => t.resolve({ 'Fn::ImportValue': 'Shared-Thing' })).toThrow(TemplateResolutionError);
    expect(() => t.resolve({ 'Fn::ImportValue': 'Shared-Thing' })).toThrow(/Fn::ImportValue .*does not resolve this intrinsic/);
  });

  it('GIVEN a service sets a physical ID before use THEN everything resolves to it; after use THEN the change is refused', () => {
    const t = template();
    t.setPhysical('Pool', 'eu-west-1_Abcdefghi', { Arn: 'arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_Abcdefghi' });
    expect(t.resolve({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toBe('arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_Abcdefghi');
    t.resolve({ Ref: 'Bucket' });
    expect(() => t.setPhysical('Bucket', 'another-name')).toThrow(/already used/);
  });
});
