import type { DataLoss, GuardReport } from './compare-templates';

/** The guard's report as lines: FAIL per unacknowledged loss, then acknowledged ones, warnings, IAM notes, a verdict. */
export function formatReport(report: GuardReport, stageFile: string): string[] {
  const lines: string[] = [];
  for (const loss of report.losses) lines.push(`FAIL ${describeLoss(loss)}`);
  for (const loss of report.acknowledged) lines.push(`OK   ${describeLoss(loss)} Acknowledged in ${stageFile}: ${loss.reason}`);
  for (const id of report.staleAcknowledgements) {
    lines.push(`WARN ${stageFile}: acknowledgement of replacement "${id}" matches nothing this release replaces, removes or orphans; remove it.`);
  }
  if (report.broadenedPermissions.length > 0) {
    lines.push('NOTE IAM permissions broadened (review; not a failure):');
    for (const line of report.broadenedPermissions) lines.push(`     ${line}`);
  }
  if (report.passed) {
    lines.push(`PASS no stateful resource loses data${report.acknowledged.length > 0 ? ' that is not acknowledged' : ''}.`);
  } else {
    const n = report.losses.length;
    lines.push(
      `Result: ${n} stateful resource${n === 1 ? '' : 's'} would lose data. If that is intended, add { "replacement": "<LogicalId>", "reason": "…" } to acknowledgements in ${stageFile}.`,
    );
  }
  return lines;
}

function describeLoss(loss: DataLoss): string {
  const parts = [`${loss.logicalId} (${loss.noun}, ${loss.type}) would be ${loss.impact.toUpperCase()}`];
  if (loss.causes.length > 0) parts.push(` by ${loss.causes.join('; ')}`);
  parts.push(`: ${loss.consequence}.`);
  if (loss.addedSameType.length > 0) {
    parts.push(` The new template adds ${loss.addedSameType.join(', ')} of the same type: a moved logical ID creates a new, empty resource.`);
  }
  return parts.join('');
}
