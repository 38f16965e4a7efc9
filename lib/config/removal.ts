/**
 * What `removal` means to every section's props: one answer, read by each
 * mapper, so a retained stage cannot be half retained.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { LogFileNames } from '../upload-checks/upload-checks';

/** The part of a stage config these helpers read (structural, so sections need not import the whole schema). */
export interface RemovalConfig {
  readonly removal: 'retain' | 'destroy';
}

export function removalPolicyOf(config: RemovalConfig): RemovalPolicy {
  return config.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** Logs outlive a retained stage's files, so they name files by hash there; a throwaway stage logs names as they are. */
export function logFileNamesOf(config: RemovalConfig): LogFileNames {
  return config.removal === 'retain' ? 'hash' : 'plain';
}
