/** An event on the local default event bus, in EventBridge's envelope. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** Where services put events (the local default event bus). */
export interface EventSink {
  put(event: EventBridgeEvent): void;
}
