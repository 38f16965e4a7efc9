/**
 * Creates the template's tables in dynalite: key schema, attribute
 * definitions and secondary indexes, under their local physical names. A table
 * that survived from an earlier run must have the same keys, or the run stops
 * and says to `--reset` (the template changed under the stored data).
 */
import type { LocalTemplate } from '../contracts';
import type { LocalTable } from './authorization-checks';
import { DynamoError, type DynaliteBackend } from './dynalite-backend';
import type { UntypedJson } from '../../common/untyped-json';

export const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface IndexJson {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
}

/** The tables the template creates, as the proxy authorizes them. */
export function templateTables(template: LocalTemplate): Array<LocalTable & { readonly logicalId: string; readonly definition: Record<string, unknown> }> {
  return TABLE_TYPES.flatMap((type) => template.resourcesOfType(type)).map((logicalId) => {
    const properties = template.resolve<Record<string, UntypedJson>>(template.resources[logicalId].Properties ?? {});
    const keySchema = (properties.KeySchema ?? []) as KeySchemaElement[];
    const partitionKey = keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
    if (!partitionKey) throw new Error(`${logicalId}: the table has no HASH key`);
    const gsis = (properties.GlobalSecondaryIndexes ?? []) as IndexJson[];
    const lsis = (properties.LocalSecondaryIndexes ?? []) as IndexJson[];
    const indexes: Record<string, string> = {};
    for (const index of gsis) indexes[index.IndexName] = index.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
    for (const index of lsis) indexes[index.IndexName] = partitionKey;
    const name = template.resolve<string>({ Ref: logicalId });
    const projection = (index: IndexJson) => ({
      ProjectionType: index.Projection?.ProjectionType ?? 'ALL',
      ...(index.Projection?.NonKeyAttributes ? { NonKeyAttributes: index.Projection.NonKeyAttributes } : {}),
    });
    // On-demand everywhere: dynalite does not throttle, and GlobalTable has no table-level throughput.
    const definition: Record<string, unknown> = {
      TableName: name,
      AttributeDefinitions: properties.AttributeDefinitions,
      KeySchema: keySchema,
      BillingMode: 'PAY_PER_REQUEST',
      ...(gsis.length ? { GlobalSecondaryIndexes: gsis.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: projection(i) })) } : {}),
      ...(lsis.length ? { LocalSecondaryIndexes: lsis.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: projection(i) })) } : {}),
    };
    return {
      logicalId,
      name,
      arn: template.resolve<string>({ 'Fn::GetAtt': [logicalId, 'Arn'] }),
      partitionKey,
      sortKey: keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName,
      indexes,
      definition,
    };
  });
}

export async function createTemplateTables(backend: DynaliteBackend, tables: ReturnType<typeof templateTables>): Promise<void> {
  for (const table of tables) {
    let existing: { Table?: { KeySchema?: KeySchemaElement[]; GlobalSecondaryIndexes?: IndexJson[] } } | undefined;
    try {
      existing = await backend.send('DescribeTable', { TableName: table.name });
    } catch (error) {
      if (!(error instanceof DynamoError && error.type === 'ResourceNotFoundException')) throw error;
    }
    if (!existing) {
      await backend.send('CreateTable', table.definition);
      continue;
    }
    const want = JSON.stringify([table.definition.KeySchema, indexKeys(table.definition.GlobalSecondaryIndexes as IndexJson[] | undefined)]);
    const have = JSON.stringify([existing.Table?.KeySchema, indexKeys(existing.Table?.GlobalSecondaryIndexes)]);
    if (want !== have) {
      throw new Error(
        `DynamoDB table ${table.name} (${table.logicalId}) in the stored state has other keys or indexes than the template; restart with --reset to recreate it`,
      );
    }
  }
}

function indexKeys(indexes: IndexJson[] | undefined): unknown {
  return (indexes ?? []).map((i) => [i.IndexName, i.KeySchema]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}
