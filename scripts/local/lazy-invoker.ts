/**
 * The LambdaInvoker handed to services created before the Lambda runner (the
 * user pool needs one for its triggers, and the runner needs the pool's IDs
 * for the functions' environment). `functionFor` works from the template
 * alone; `invoke` waits for the runner.
 */
import type { LambdaInvoker, LocalTemplate } from './contracts';

export class LazyInvoker implements LambdaInvoker {
  private target?: LambdaInvoker;

  constructor(private readonly template: LocalTemplate) {}

  attach(target: LambdaInvoker): void {
    this.target = target;
  }

  invoke(logicalId: string, event: unknown): Promise<unknown> {
    if (!this.target) return Promise.reject(new Error(`Lambda ${logicalId} invoked before the local Lambda runner started`));
    return this.target.invoke(logicalId, event);
  }

  functionFor(arnOrRef: unknown): string | undefined {
    const functions = this.template.resourcesOfType('AWS::Lambda::Function');
    const ref = (arnOrRef as { Ref?: unknown } | null)?.Ref;
    if (typeof ref === 'string') return functions.includes(ref) ? ref : undefined;
    const getAtt = (arnOrRef as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return functions.includes(String(getAtt[0])) ? String(getAtt[0]) : undefined;
    const value = typeof arnOrRef === 'string' ? arnOrRef : this.template.resolve(arnOrRef);
    // A function ARN, optionally qualified (…:function:name:alias), or its name.
    return functions.find((id) => {
      const arn = this.template.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
      const name = this.template.resolve<string>({ Ref: id });
      return value === arn || value === name || (typeof value === 'string' && value.startsWith(`${arn}:`));
    });
  }
}
