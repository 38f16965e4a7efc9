/** A stage config and stack outputs that cannot make a client config; the message says what to fix. */
export class ClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientConfigError';
  }
}
