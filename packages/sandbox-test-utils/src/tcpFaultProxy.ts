import net from 'node:net';
import { listenerControl } from './listenerControl';

/**
 * What the TCP proxy does to new connections: `pass` forwards them, `hang` accepts and never
 * forwards, `down` stops listening so they are refused.
 *
 * @public
 */
export type TcpFaultMode = 'pass' | 'hang' | 'down';

/** @public */
export interface TcpFaultProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  set(mode: TcpFaultMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP-level fault proxy for a TLS peer such as the kube-apiserver: bytes are passed through
 * untouched (TLS ends at the peer, whose certificate names 127.0.0.1), so clients keep their
 * CA and token; the proxy only decides whether a connection gets through.
 *
 * @public
 */
export async function startTcpFaultProxy(target: URL): Promise<TcpFaultProxy> {
  let mode: TcpFaultMode = 'pass';
  const sockets = new Set<net.Socket>();
  const server = net.createServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'hang') return;
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const { listen, stop } = listenerControl(server, sockets);

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    async set(next) {
      if (next === 'down') {
        mode = next;
        await stop();
        return;
      }
      if (!server.listening) await listen(port);
      // Connections already open keep flowing: only new ones see the new mode, as when a
      // peer stops answering new requests. Drop them so the next request reconnects.
      for (const s of sockets) s.destroy();
      mode = next;
    },
    close: stop,
  };
}
