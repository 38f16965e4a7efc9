/** Serves a LocalService on an ephemeral loopback port for a test; close() stops it. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalService } from '../../../scripts/local/contracts';

export interface Served {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function serve(service: LocalService): Promise<Served> {
  const server = http.createServer((req, res) => {
    Promise.resolve(service.handle(req, res)).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close?.();
    },
  };
}
