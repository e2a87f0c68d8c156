import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listenerControl } from './listenerControl';

/**
 * What the proxy does to the requests it is sent:
 * - `pass`: forwards them to the peer;
 * - `throttle`: answers the next `count` as AWS does when it throttles (query protocol:
 *   400 `Throttling`; REST-JSON: 429 `ThrottlingException`; `status: 429`: a bare HTTP 429
 *   whatever the protocol), then forwards;
 * - `slow`: forwards each after `ms` milliseconds;
 * - `hang`: accepts and never answers;
 * - `down`: stops listening, so connections are refused, as a stopped peer's are;
 * - `fail`: answers the query-protocol actions named (IAM's `AttachRolePolicy`, say) with
 *   AWS's 503 `ServiceUnavailable` every time (`hang: true`: never answers them), and
 *   forwards the rest.
 *
 * @public
 */
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'throttle'; count: number; status?: 429 }
  | { kind: 'slow'; ms: number }
  | { kind: 'hang' }
  | { kind: 'down' }
  | { kind: 'fail'; actions: string[]; hang?: boolean };

/** @public */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it as the peer's endpoint. */
  url: string;
  set(mode: FaultMode): Promise<void>;
  /** What the proxy did since it started. */
  stats: { forwarded: number; throttled: number; hung: number; failed: number };
  close(): Promise<void>;
}

const THROTTLE_XML =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>' +
  '<Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>';

const FAIL_XML =
  '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>' +
  '<Message>Service is unavailable</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>';

/**
 * A small fault-injecting HTTP proxy in front of an AWS emulator (moto), for the reliability
 * tests: throttling, slowness, hanging and outage, on demand, on one port that stays the
 * same through `down` and back.
 *
 * @public
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: FaultMode = { kind: 'pass' };
  let throttleLeft = 0;
  const stats = { forwarded: 0, throttled: 0, hung: 0, failed: 0 };
  const sockets = new Set<Socket>();

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body?: Buffer,
  ) => {
    stats.forwarded += 1;
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    if (body) out.end(body);
    else req.pipe(out);
  };

  /** Reads the body, then fails the request if its query-protocol Action is listed. */
  const failOrForward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    actions: string[],
    hang: boolean,
  ) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action');
      if (action && actions.includes(action)) {
        stats.failed += 1;
        if (hang) return;
        res.writeHead(503, { 'content-type': 'text/xml' });
        res.end(FAIL_XML);
        return;
      }
      forward(req, res, body);
    });
  };

  const server = http.createServer((req, res) => {
    if (mode.kind === 'throttle' && throttleLeft > 0) {
      throttleLeft -= 1;
      stats.throttled += 1;
      req.resume();
      // IAM and STS speak the query protocol (form bodies); EKS speaks REST-JSON.
      if (
        mode.status !== 429 &&
        (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
      ) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(THROTTLE_XML);
      } else {
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ThrottlingException',
        });
        res.end('{"message":"Rate exceeded"}');
      }
      return;
    }
    if (mode.kind === 'hang') {
      stats.hung += 1;
      req.resume();
      return;
    }
    if (mode.kind === 'fail') {
      failOrForward(req, res, mode.actions, mode.hang ?? false);
      return;
    }
    if (mode.kind === 'slow') {
      setTimeout(() => forward(req, res), mode.ms);
      return;
    }
    forward(req, res);
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const { listen, stop } = listenerControl(server, sockets);

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    async set(next) {
      if (next.kind === 'down') {
        mode = next;
        await stop();
        return;
      }
      if (!server.listening) await listen(port);
      if (next.kind === 'throttle') throttleLeft = next.count;
      mode = next;
    },
    close: stop,
  };
}
