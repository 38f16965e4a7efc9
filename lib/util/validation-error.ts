import type { IConstruct } from 'constructs';

/**
 * Thrown when construct props cannot deploy. aws-cdk-lib keeps its own
 * `ValidationError` internal, so this mirrors it: the message leads with the
 * construct path so the user knows which construct to fix.
 */
export class ValidationError extends Error {
  public readonly constructPath: string;

  constructor(message: string, scope: IConstruct) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'ValidationError';
    this.constructPath = scope.node.path;
  }
}
