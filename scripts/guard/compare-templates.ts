/**
 * The release guard's judgement, as a pure function of two templates and the
 * stage's replacement acknowledgements (docs/design.md, "Release guard and
 * pipeline"). CloudFormation's own spec, through @aws-cdk/cloudformation-diff,
 * says which property changes replace a resource; this file only decides
 * which resources hold data and words what would be lost.
 */
import { fullDiff, ResourceImpact, type ResourceDifference } from '@aws-cdk/cloudformation-diff';
import { statefulKind } from './stateful-resources';

export type CfnTemplate = { readonly Resources?: Record<string, CfnResource> } & Record<string, unknown>;
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly [key: string]: unknown;
}

export interface ReplacementAck {
  readonly replacement: string;
  readonly reason: string;
}

/** What happens to a stateful resource's physical resource. */
export type DataLossImpact = 'replaced' | 'may be replaced' | 'removed' | 'orphaned';

export interface DataLoss {
  readonly logicalId: string;
  readonly type: string;
  /** "user pool", "table", … */
  readonly noun: string;
  readonly impact: DataLossImpact;
  /** For a replacement: each property (or the type) that causes it, with old → new. */
  readonly causes: readonly string[];
  /** What would be lost, worded for the resource's type and its retention policy. */
  readonly consequence: string;
  /** Resources of the same type the new template adds: a moved logical ID looks like this. */
  readonly addedSameType: readonly string[];
}

export interface AcknowledgedLoss extends DataLoss {
  readonly reason: string;
}

export interface GuardReport {
  /** Stateful resources that would lose data and no acknowledgement covers: the guard fails on these. */
  readonly losses: readonly DataLoss[];
  /** Losses the stage file acknowledges. */
  readonly acknowledged: readonly AcknowledgedLoss[];
  /** Acknowledged logical IDs that this change does not replace, remove or orphan. */
  readonly staleAcknowledgements: readonly string[];
  /** IAM statements and managed policies that would grant more (reported, never failing). */
  readonly broadenedPermissions: readonly string[];
  readonly passed: boolean;
}

/** Compares the last release (or the deployed stack) with the new template. */
export function compareTemplates(current: CfnTemplate, next: CfnTemplate, acknowledgements: readonly ReplacementAck[] = []): GuardReport {
  const diff = fullDiff(current, next);
  const addedByType = new Map<string, string[]>();
  diff.resources.forEachDifference((logicalId, change) => {
    if (!change.isAddition || !change.newResourceType) return;
    addedByType.set(change.newResourceType, [...(addedByType.get(change.newResourceType) ?? []), logicalId]);
  });

  const found: DataLoss[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const loss = dataLossOf(logicalId, change, addedByType);
    if (loss) found.push(loss);
  });

  const reasons = new Map(acknowledgements.map((ack) => [ack.replacement, ack.reason]));
  const losses = found.filter((loss) => !reasons.has(loss.logicalId));
  const acknowledged = found.filter((loss) => reasons.has(loss.logicalId)).map((loss) => ({ ...loss, reason: reasons.get(loss.logicalId) as string }));
  const lostIds = new Set(found.map((loss) => loss.logicalId));
  const staleAcknowledgements = acknowledgements.map((ack) => ack.replacement).filter((id) => !lostIds.has(id));

  return { losses, acknowledged, staleAcknowledgements, broadenedPermissions: broadenedPermissions(diff.iamChanges), passed: losses.length === 0 };
}

function dataLossOf(logicalId: string, change: ResourceDifference, addedByType: Map<string, string[]>): DataLoss | undefined {
  const old = change.oldValue;
  const kind = statefulKind(old);
  if (!old || !kind) return undefined;
  const impact = impactOf(change);
  if (!impact) return undefined;
  const causes = impact === 'replaced' || impact === 'may be replaced' ? replacementCauses(change) : [];
  return {
    logicalId,
    type: old.Type,
    noun: kind.noun,
    impact,
    causes,
    consequence: consequenceOf(impact, old, kind.loses),
    addedSameType: change.isRemoval ? (addedByType.get(old.Type) ?? []) : [],
  };
}

function impactOf(change: ResourceDifference): DataLossImpact | undefined {
  if (change.isRemoval) return change.changeImpact === ResourceImpact.WILL_ORPHAN ? 'orphaned' : 'removed';
  if (change.resourceTypeChanged) return 'replaced';
  switch (change.changeImpact) {
    case ResourceImpact.WILL_REPLACE:
      return 'replaced';
    case ResourceImpact.MAY_REPLACE:
      return 'may be replaced';
    default:
      return undefined;
  }
}

function replacementCauses(change: ResourceDifference): string[] {
  if (change.resourceTypeChanged) return [`Type ${change.oldResourceType} → ${change.newResourceType}`];
  return Object.entries(change.propertyUpdates)
    .filter(([, property]) => property.changeImpact === ResourceImpact.WILL_REPLACE || property.changeImpact === ResourceImpact.MAY_REPLACE)
    .map(
      ([name, property]) =>
        `${name}${property.changeImpact === ResourceImpact.MAY_REPLACE ? ' (may replace)' : ''}: ${brief(property.oldValue)} → ${brief(property.newValue)}`,
    );
}

function consequenceOf(impact: DataLossImpact, old: CfnResource, loses: string): string {
  switch (impact) {
    case 'removed':
      return `deleted with the stack's update (DeletionPolicy ${old.DeletionPolicy ?? 'Delete'}): loses ${loses}`;
    case 'orphaned':
      return `left in the account outside the stack (DeletionPolicy Retain); the stack no longer uses it, so the app loses ${loses}`;
    default: {
      // CloudFormation creates the new one first; UpdateReplacePolicy decides whether the old one survives.
      const kept = old.UpdateReplacePolicy === 'Retain' || old.UpdateReplacePolicy === 'Snapshot';
      return kept
        ? `a new, empty one takes its place and the old one is kept outside the stack (UpdateReplacePolicy ${old.UpdateReplacePolicy}); the app loses ${loses}`
        : `a new, empty one takes its place and the old one is deleted (UpdateReplacePolicy ${old.UpdateReplacePolicy ?? 'Delete'}): loses ${loses}`;
    }
  }
}

/** One line per statement or managed policy that grants more than before. */
function broadenedPermissions(iam: ReturnType<typeof fullDiff>['iamChanges']): string[] {
  const lines: string[] = [];
  // Permissions broaden when an Allow is added or a Deny removed (the engine's own definition).
  for (const statement of iam.statements.additions) {
    if (statement.isNegativeStatement) continue;
    lines.push(`+ ${renderStatement(statement.render())}`);
  }
  for (const statement of iam.statements.removals) {
    if (!statement.isNegativeStatement) continue;
    lines.push(`- ${renderStatement(statement.render())}`);
  }
  for (const attachment of iam.managedPolicies.additions) lines.push(`+ managed policy ${attachment.managedPolicyArn} on ${attachment.identityArn}`);
  return lines;
}

function renderStatement(s: { effect: string; action: string; resource: string; principal: string; condition: string }): string {
  const flat = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  const parts = [`${s.effect} ${flat(s.action)}`, `on ${flat(s.resource)}`, `to ${flat(s.principal)}`];
  if (s.condition.trim() !== '') parts.push(`when ${flat(s.condition)}`);
  return parts.join(' ');
}

function brief(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
