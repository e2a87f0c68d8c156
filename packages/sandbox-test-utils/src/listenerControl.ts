import type { Server } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

/**
 * Start and stop listening on one port, for the fault proxies' `down` and back: `stop` also
 * drops the connections `sockets` holds, so clients see the peer go away at once.
 */
export function listenerControl(
  server: Server | NetServer,
  sockets: Set<Socket>,
) {
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>(resolve => {
      for (const s of sockets) s.destroy();
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });
  return { listen, stop };
}
